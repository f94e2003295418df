using System.CommandLine;
using System.Globalization;
using K210Kpu.Analysis;
using K210Kpu.Imaging;

namespace K210Kpu.Cli.Commands;

/// <summary>
/// <c>kpu report MODEL [-o FILE] [--picture IMG] [--mode reference|device] [check options]</c>: one self-contained HTML page
/// with the model summary, the fit check, the layer table with MACs and estimated K210 time, and, given a picture,
/// every layer's feature-map mosaic.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "kmodel file (one that does not load still gets a page with the fit check)" };
        var output = new Option<string?>("--output", "-o") { Description = "HTML file to write (default: MODEL name + .report.html in the current folder)" };
        var picture = new Option<string?>("--picture", "-p") { Description = "Run the model on this picture and show every layer's feature maps" };
        var mode = new Option<ArithmeticMode>("--mode") { Description = "Float arithmetic for the run: reference or device", DefaultValueFactory = _ => ArithmeticMode.Reference };
        var set = new CheckOptionSet();
        var cmd = new Command("report", "Write a one-page HTML report: summary, fit check, per-layer MACs and estimated K210 time, feature maps") { model, output, picture, mode };
        set.AddTo(cmd);
        cmd.SetAction(p => CommandRunner.Run(p, () => Execute(p.GetValue(model)!, p.GetValue(output), p.GetValue(picture), p.GetValue(mode), set.Read(p))));
        return cmd;
    }

    private static int Execute(string modelPath, string? outputPath, string? picturePath, ArithmeticMode mode, ModelCheckOptions options)
    {
        if (!File.Exists(modelPath))
        {
            throw CliException.Usage($"model file not found: {modelPath}");
        }

        if (picturePath is not null && !File.Exists(picturePath))
        {
            throw CliException.Usage($"picture not found: {picturePath}");
        }

        string name = Path.GetFileName(modelPath);
        outputPath ??= Path.GetFileNameWithoutExtension(modelPath) + ".report.html";
        ModelCheckResult check = ModelCheck.CheckFile(modelPath, options);
        KModel? m = check.Model;

        ReportImage? inputImage = null;
        var fmaps = new List<ReportImage>();
        if (picturePath is not null)
        {
            if (m is null)
            {
                throw new CliException(ExitCodes.BadModel, $"{name} does not load, so it cannot run on the picture: {check.Findings.FirstOrDefault(f => f.Verdict == CheckVerdict.WillFail)?.Message}");
            }

            byte[] input = RunCommand.ReadInput(m, picturePath, Console.Out);
            TensorInfo t = m.Inputs[0];
            inputImage = new ReportImage($"{Path.GetFileName(picturePath)} as fed to the model ({t.Shape[3]}×{t.Shape[2]}, {(t.Shape[1] == 3 ? "RGB" : "grey")})", FeatureMapMosaic.Planar(input, t.Shape[3], t.Shape[2], t.Shape[1]));
            using var interp = new Interpreter(m, new RunOptions { Mode = mode });
            interp.SetInput(0, input);
            interp.LayerCompleted = k =>
            {
                LayerDescriptor l = m.Layers[k];
                if (FeatureMapMosaic.Render(l, interp.ReadLayerOutput(k)) is { } mosaic)
                {
                    IReadOnlyList<int> s = l.OutputShape!;
                    string shape = string.Create(CultureInfo.InvariantCulture, $"{s[3]}×{s[2]}×{s[1]}");
                    string channels = mosaic.Drawn < mosaic.Channels ? string.Create(CultureInfo.InvariantCulture, $", first {mosaic.Drawn} of {mosaic.Channels} channels") : string.Empty;
                    fmaps.Add(new ReportImage($"layer {k}: {l.Name} {shape} ({l.OutputType}{channels})", mosaic.Png, k));
                }
            };
            interp.Run();
        }

        var report = new ReportInput
        {
            Title = name,
            Model = m,
            Check = check,
            Input = inputImage,
            FeatureMaps = fmaps,
            Facts = picturePath is null ? [] : [new("Arithmetic", mode.ToString())],
            Generator = "kpu report",
        };
        HtmlReport.Write(report, outputPath);
        Console.Out.WriteLine($"{name}: {check.Verdict switch { CheckVerdict.Ok => "ok", CheckVerdict.Warning => "warning", _ => "will fail" }}; report -> {outputPath}");
        return ExitCodes.Ok;
    }
}
