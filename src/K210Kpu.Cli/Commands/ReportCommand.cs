using System.CommandLine;
using System.Globalization;
using K210Kpu.Analysis;
using K210Kpu.Imaging;
using K210Kpu.Maix;
using K210Kpu.PostProcessing;

namespace K210Kpu.Cli.Commands;

/// <summary>
/// <c>kpu report MODEL [IMAGE] [-o FILE] [--picture IMG] [--anchors A] [check options]</c>: one self-contained HTML page with the
/// model summary, the fit check, the layer table with MACs and estimated K210 time, and, given a picture, every layer's
/// feature-map mosaic (MaixPy's fmap routine) and, given anchors, the yolo2 detections (MaixPy's run_yolo2) drawn on it.
/// </summary>
internal static class ReportCommand
{
    /// <summary>Most channels drawn per layer mosaic.</summary>
    private const int MaxMosaicChannels = 64;

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "kmodel file (one that does not load still gets a page with the fit check)" };
        var output = new Option<string?>("--output", "-o") { Description = "HTML file to write (default: MODEL name + .report.html in the current folder)" };
        var image = new Argument<string?>("image") { Description = "Picture to run the model on (same as --picture)", Arity = ArgumentArity.ZeroOrOne };
        var picture = new Option<string?>("--picture", "-p") { Description = "Run the model on this picture and show every layer's feature maps" };
        var anchors = new Option<string?>("--anchors", "-a") { Description = "yolo2 anchor (w,h) pairs, comma-separated: also decode and draw the detections (needs --picture)" };
        var threshold = new Option<float>("--threshold", "-t") { Description = "yolo2 score threshold, 0..1", DefaultValueFactory = _ => 0.5f };
        var nms = new Option<float>("--nms") { Description = "yolo2 NMS IoU threshold, 0..1", DefaultValueFactory = _ => 0.3f };
        var set = new CheckOptionSet();
        var cmd = new Command("report", "Write a one-page HTML report: summary, fit check, per-layer MACs and estimated K210 time, feature maps, detections")
        {
            model, image, output, picture, anchors, threshold, nms,
        };
        set.AddTo(cmd);
        cmd.SetAction(p => CommandRunner.Run(p, () => Execute(
            p.GetValue(model)!, p.GetValue(output), PictureArg(p.GetValue(image), p.GetValue(picture)), p.GetValue(anchors), p.GetValue(threshold), p.GetValue(nms), set.Read(p))));
        return cmd;
    }

    private static string? PictureArg(string? positional, string? option) =>
        positional is not null && option is not null && positional != option
            ? throw CliException.Usage("give the picture either as IMAGE or with --picture, not both")
            : positional ?? option;

    private static int Execute(string modelPath, string? outputPath, string? picturePath, string? anchorText, float threshold, float nms, ModelCheckOptions options)
    {
        if (!File.Exists(modelPath))
        {
            throw CliException.Usage($"model file not found: {modelPath}");
        }

        if (picturePath is not null && !File.Exists(picturePath))
        {
            throw CliException.Usage($"picture not found: {picturePath}");
        }

        if (anchorText is not null && picturePath is null)
        {
            throw CliException.Usage("--anchors needs --picture: the detections are drawn on it");
        }

        if (!(threshold is >= 0f and <= 1f) || !(nms is >= 0f and <= 1f))
        {
            throw CliException.Usage("--threshold and --nms must be between 0 and 1");
        }

        float[]? anchors = anchorText is null ? null : DetectCommand.ParseAnchors(anchorText);
        string name = Path.GetFileName(modelPath);
        outputPath ??= Path.GetFileNameWithoutExtension(modelPath) + ".report.html";
        ModelCheckResult check = ModelCheck.CheckFile(modelPath, options);
        var facts = new List<KeyValuePair<string, string>>();
        ReportImage? inputImage = null, detectionImage = null;
        var fmaps = new List<ReportImage>();
        var detectionLines = new List<string>();
        if (picturePath is not null)
        {
            KModel m = check.Model ?? throw new CliException(
                ExitCodes.BadModel,
                $"{name} does not load, so it cannot run on the picture: {check.Findings.FirstOrDefault(f => f.Verdict == CheckVerdict.WillFail)?.Message}");
            TensorInfo t = m.Inputs[0];
            if (t.ElementType != ElementType.UInt8 || t.Shape.Count != 4 || t.Shape[1] is not (1 or 3))
            {
                throw CliException.Runtime($"this model's input is {t.ElementType} [{string.Join("x", t.Shape)}], not a picture");
            }

            int c = t.Shape[1], h = t.Shape[2], w = t.Shape[3];
            byte[] planar = RunCommand.ReadInput(m, picturePath, Console.Out);
            Image input = Image.FromPlanar(planar, w, h, c);
            inputImage = new ReportImage($"{Path.GetFileName(picturePath)} as fed to the model ({w}×{h}, {(c == 3 ? "RGB" : "grey")})", ImageIO.EncodePng(input));
            fmaps.AddRange(FeatureMaps(m, planar));
            facts.Add(new("Picture", Path.GetFileName(picturePath)));

            if (anchors is not null)
            {
                using KpuTask task = KpuTask.Create(m, null, modelPath, m.Bytes.Length);
                Kpu.InitYolo2(task, threshold, nms, anchors.Length / 2, anchors);
                IReadOnlyList<Detection> found = Kpu.RunYolo2(task, planar);
                Image canvas = input.Format == PixelFormat.Grayscale ? input.ToRgb888() : input.Copy();
                foreach (Detection d in found)
                {
                    canvas.DrawRectangle(d.Rect(), canvas.Color(255, 0, 0), 2);
                    detectionLines.Add(string.Create(CultureInfo.InvariantCulture, $"class {d.ClassId}, score {d.Value:0.000}, at ({d.X}, {d.Y}) size {d.W}×{d.H}"));
                }

                detectionImage = new ReportImage(
                    string.Create(CultureInfo.InvariantCulture, $"{found.Count} detection(s), threshold {threshold}, NMS {nms} (MaixPy run_yolo2)"),
                    ImageIO.EncodePng(canvas));
                facts.Add(new("yolo2 anchors", string.Join(", ", anchors.Select(a => a.ToString(CultureInfo.InvariantCulture)))));
            }
        }

        var report = new ReportInput
        {
            Title = name,
            Model = check.Model,
            Check = check,
            Input = inputImage,
            FeatureMaps = fmaps,
            Detections = detectionImage,
            DetectionLines = detectionLines,
            Facts = facts,
            Generator = "kpu report",
        };
        HtmlReport.Write(report, outputPath);
        Console.Out.WriteLine($"{name}: {HtmlReport.VerdictText(check.Verdict)}; report -> {outputPath}");
        return ExitCodes.Ok;
    }

    /// <summary>Runs the model once and draws every layer's output: MaixPy's fmap mosaic for uint8 maps, a scaled mosaic for float maps.</summary>
    private static List<ReportImage> FeatureMaps(KModel m, byte[] planar)
    {
        var maps = new List<ReportImage>();
        using var interp = new Interpreter(m);
        interp.SetInput(0, planar);
        interp.LayerCompleted = k =>
        {
            LayerDescriptor l = m.Layers[k];
            if (l.OutputShape is not { Count: 4 } s || s[1] <= 0 || s[2] <= 0 || s[3] <= 0)
            {
                return;
            }

            int ch = s[1], h = s[2], w = s[3];
            byte[] dense = interp.ReadLayerOutput(k);
            int drawn = Math.Min(ch, MaxMosaicChannels);
            string shape = string.Create(CultureInfo.InvariantCulture, $"{w}×{h}×{ch}");
            string shown = drawn < ch ? string.Create(CultureInfo.InvariantCulture, $", first {drawn} of {ch} channels") : string.Empty;
            if (l.OutputType == ElementType.UInt8 && dense.Length >= ch * h * w)
            {
                // MaixPy's fmap routine (fmap + stretch per channel) on a canvas just big enough for `drawn` tiles in a near-square grid.
                int cols = (int)Math.Ceiling(Math.Sqrt(drawn));
                int rows = (drawn + cols - 1) / cols;
                using var fmap = new FeatureMap(dense, w, h, ch, k, ElementType.UInt8);
                Image mosaic = Kpu.FmapMosaic(fmap, cols * w, rows * h, 0, 255);
                maps.Add(new ReportImage($"layer {k}: {l.Name} {shape} (uint8, each channel stretched to 0–255{shown})", ImageIO.EncodePng(mosaic), k));
            }
            else if (FeatureMapMosaic.Render(l, dense) is { } f)
            {
                maps.Add(new ReportImage($"layer {k}: {l.Name} {shape} (float, scaled min–max{shown})", f.Png, k));
            }
        };
        interp.Run();
        return maps;
    }
}
