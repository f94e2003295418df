using System.CommandLine;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using K210Kpu.Imaging;
using K210Kpu.Maix;
using K210Kpu.PostProcessing;
using Spectre.Console;

namespace K210Kpu.Cli.Commands;

/// <summary>
/// <c>kpu detect [MODEL] [IMAGE | --input RAW] [--anchors ...] [--threshold T] [--nms N] [--out boxes.png] [--json]</c>:
/// MaixPy's <c>run_yolo2</c>. With no arguments: the bundled face model on the bundled picture, MaixPy's demo settings.
/// </summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var model = new Argument<string?>("model") { Description = "yolo2 kmodel (default: the bundled face model)", Arity = ArgumentArity.ZeroOrOne };
        var image = new Argument<string?>("image") { Description = "Picture or folder of pictures (default: the bundled astronaut picture)", Arity = ArgumentArity.ZeroOrOne };
        var input = new Option<string?>("--input", "-i") { Description = "Raw model input (uint8 planar CHW) instead of a picture" };
        var anchors = new Option<string?>("--anchors", "-a") { Description = "Anchor (w,h) pairs in grid cells, comma-separated (default for the bundled face model: MaixPy's demo anchors)" };
        var threshold = new Option<float>("--threshold", "-t") { Description = "Score threshold, 0..1", DefaultValueFactory = _ => 0.5f };
        var nms = new Option<float>("--nms") { Description = "NMS IoU threshold, 0..1", DefaultValueFactory = _ => 0.3f };
        var output = new Option<string?>("--out", "-o") { Description = "Picture with the boxes drawn (PNG); for a folder of pictures, a folder (default: detections.png / detections/)" };
        var json = new Option<bool>("--json") { Description = "Print the detections as JSON (MaixPy's fields and order) and nothing else" };
        var cmd = new Command("detect", "Find objects with a yolo2 model, as MaixPy's run_yolo2 does") { model, image, input, anchors, threshold, nms, output, json };
        cmd.SetAction(p => CommandRunner.Run(p, () => Execute(
            p.GetValue(model), p.GetValue(image), p.GetValue(input), p.GetValue(anchors), p.GetValue(threshold), p.GetValue(nms), p.GetValue(output), p.GetValue(json))));
        return cmd;
    }

    internal static float[] ParseAnchors(string text)
    {
        string[] parts = text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries);
        var values = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
            {
                throw CliException.Usage($"--anchors: '{parts[i]}' is not a number");
            }
        }

        if (values.Length == 0 || values.Length % 2 != 0)
        {
            throw CliException.Usage($"--anchors needs (w,h) pairs: got {values.Length} value(s)");
        }

        return values;
    }

    private static int Execute(string? modelArg, string? imageArg, string? rawInput, string? anchorText, float threshold, float nms, string? outPath, bool json)
    {
        bool defaultModel = modelArg is null;
        string modelPath = modelArg ?? BundledData.Find(BundledData.FaceModel);
        float[] anchors = anchorText is not null ? ParseAnchors(anchorText)
            : defaultModel || Path.GetFileName(modelPath).Contains("face_yolo2", StringComparison.OrdinalIgnoreCase) ? BundledData.FaceAnchors
            : throw CliException.Usage("--anchors is required for this model (w,h pairs in grid cells, from the model's training)");
        if (!(threshold is >= 0f and <= 1f))
        {
            throw CliException.Usage("--threshold must be between 0 and 1");
        }

        if (!(nms is >= 0f and <= 1f))
        {
            throw CliException.Usage("--nms must be between 0 and 1");
        }

        if (rawInput is not null && imageArg is not null)
        {
            throw CliException.Usage("give either IMAGE or --input RAW, not both");
        }

        KModel m = CommandRunner.LoadModel(modelPath);
        using KpuTask task = KpuTask.Create(m, null, modelPath, m.Bytes.Length);
        Kpu.InitYolo2(task, threshold, nms, anchors.Length / 2, anchors);
        TensorInfo inp = m.Inputs[0];
        if (inp.ElementType != ElementType.UInt8 || inp.Shape.Count != 4 || inp.Shape[1] is not (1 or 3))
        {
            throw CliException.Runtime($"this model's input is {inp.ElementType} [{string.Join("x", inp.Shape)}], not a picture");
        }

        int c = inp.Shape[1], h = inp.Shape[2], w = inp.Shape[3];
        TextWriter log = json ? TextWriter.Null : Console.Out;
        if (rawInput is not null)
        {
            byte[] raw = RunCommand.ReadInput(m, rawInput, log);
            IReadOnlyList<Detection> dets = Kpu.RunYolo2(task, raw);
            Image canvas = Image.FromPlanar(raw, w, h, c);
            Report(dets, json, log, rawInput);
            if (outPath is not null)
            {
                Draw(canvas, dets, outPath, rawInput);
                log.WriteLine($"boxes drawn -> {outPath}");
            }

            return ExitCodes.Ok;
        }

        string picture = imageArg ?? BundledData.Find(BundledData.FacePicture);
        if (Directory.Exists(picture))
        {
            KpuTask NewTask()
            {
                KpuTask t = KpuTask.Create(m, null, modelPath, m.Bytes.Length);
                Kpu.InitYolo2(t, threshold, nms, anchors.Length / 2, anchors);
                return t;
            }

            return RunFolder(task, NewTask, picture, w, h, c, outPath ?? "detections", json);
        }

        if (!File.Exists(picture))
        {
            throw CliException.Usage($"picture not found: {picture}");
        }

        Image img = LoadPicture(picture, w, h, c, log);
        IReadOnlyList<Detection> found = Kpu.RunYolo2(task, img);
        Report(found, json, log, picture);
        if (!json || outPath is not null)
        {
            string target = outPath ?? "detections.png";
            Draw(img, found, target, picture);
            log.WriteLine($"boxes drawn -> {target}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Every picture of <paramref name="folder"/>, several at a time (one task per core, each on one thread, at most 4:
    /// MaixPy allows 5 loaded models), results reported in file-name order.
    /// </summary>
    private static int RunFolder(KpuTask task, Func<KpuTask> newTask, string folder, int w, int h, int c, string outDir, bool json)
    {
        string[] files = Directory.EnumerateFiles(folder).Where(PlanarPicture.IsPicture).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw CliException.Usage($"no pictures (png, jpg, bmp) in {folder}");
        }

        if (File.Exists(outDir))
        {
            throw CliException.Usage($"--out must be a folder when IMAGE is a folder, but {outDir} is a file");
        }

        Directory.CreateDirectory(outDir);
        var results = new IReadOnlyList<Detection>[files.Length];
        int workers = Math.Clamp(Math.Min(Environment.ProcessorCount, files.Length), 1, KpuTask.MaxLoaded - 1);
        var tasks = new List<KpuTask> { task };
        try
        {
            if (workers > 1)
            {
                task.RunOptions = new RunOptions { Threads = 1 };
                for (int i = 1; i < workers; i++)
                {
                    KpuTask t = newTask();
                    t.RunOptions = new RunOptions { Threads = 1 };
                    tasks.Add(t);
                }
            }

            void Process(Action? tick)
            {
                int next = -1;
                ExceptionDispatchInfo? failure = null;
                object gate = new();
                void Work(KpuTask t)
                {
                    try
                    {
                        int i;
                        while (Volatile.Read(ref failure) is null && (i = Interlocked.Increment(ref next)) < files.Length)
                        {
                            Image img = LoadPicture(files[i], w, h, c, TextWriter.Null);
                            results[i] = Kpu.RunYolo2(t, img);
                            Draw(img, results[i], Path.Combine(outDir, Path.GetFileNameWithoutExtension(files[i]) + ".png"), files[i]);
                            lock (gate)
                            {
                                tick?.Invoke();
                            }
                        }
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                    }
                }

                Thread[] threads = tasks.Skip(1).Select(t => new Thread(() => Work(t)) { IsBackground = true }).ToArray();
                foreach (Thread th in threads)
                {
                    th.Start();
                }

                Work(tasks[0]);
                foreach (Thread th in threads)
                {
                    th.Join();
                }

                failure?.Throw();
            }

            if (!json && !Console.IsOutputRedirected)
            {
                AnsiConsole.Progress().AutoClear(true).Start(ctx =>
                {
                    ProgressTask t = ctx.AddTask("detect", maxValue: files.Length);
                    Process(() => t.Increment(1));
                });
            }
            else
            {
                Process(null);
            }
        }
        finally
        {
            foreach (KpuTask t in tasks.Skip(1))
            {
                t.Dispose();
            }
        }

        var all = files.Zip(results, (File, Dets) => (File, Dets)).ToList();
        if (json)
        {
            var arr = new JsonArray(all.Select(a => (JsonNode)new JsonObject
            {
                ["file"] = Path.GetFileName(a.File),
                ["detections"] = ToJson(a.Dets),
            }).ToArray());
            Console.Out.WriteLine(arr.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            foreach (var a in all)
            {
                Report(a.Dets, false, Console.Out, a.File);
            }

            Console.Out.WriteLine($"{files.Length} pictures, boxes drawn -> {outDir}/");
        }

        return ExitCodes.Ok;
    }

    private static Image LoadPicture(string path, int w, int h, int c, TextWriter log)
    {
        Image img;
        try
        {
            img = ImageIO.Load(path, c == 1 ? PixelFormat.Grayscale : PixelFormat.Rgb888);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw CliException.Runtime($"{path}: {ex.Message}");
        }

        if (img.Width != w || img.Height != h)
        {
            log.WriteLine($"{Path.GetFileName(path)} is {img.Width}x{img.Height}; resized to the model's {w}x{h}");
            img = img.Resize(w, h);
        }

        return img;
    }

    private static void Draw(Image img, IReadOnlyList<Detection> dets, string path, string source)
    {
        if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(source), StringComparison.Ordinal))
        {
            throw CliException.Usage($"--out would overwrite the input {source}: choose another file");
        }

        Image canvas = img.Format == PixelFormat.Grayscale ? img.ToRgb888() : img.Copy();
        foreach (Detection d in dets)
        {
            canvas.DrawRectangle(d.Rect(), canvas.Color(255, 0, 0), 2);
        }

        ImageIO.Save(canvas, path);
    }

    private static JsonArray ToJson(IReadOnlyList<Detection> dets) => new(dets.Select(d => (JsonNode)new JsonObject
    {
        ["x"] = d.X,
        ["y"] = d.Y,
        ["w"] = d.W,
        ["h"] = d.H,
        ["value"] = d.Value,
        ["classid"] = d.ClassId,
        ["index"] = d.Index,
        ["objnum"] = d.ObjNum,
    }).ToArray());

    private static void Report(IReadOnlyList<Detection> dets, bool json, TextWriter log, string source)
    {
        if (json)
        {
            Console.Out.WriteLine(ToJson(dets).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        log.WriteLine($"{Path.GetFileName(source)}: {dets.Count} detection(s)");
        foreach (Detection d in dets)
        {
            log.WriteLine(string.Create(inv, $"  class {d.ClassId} score {d.Value:0.000} at x {d.X}, y {d.Y}, w {d.W}, h {d.H} (index {d.Index} of {d.ObjNum})"));
        }
    }
}
