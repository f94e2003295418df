using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using K210Kpu.Imaging;

namespace K210Kpu.Cli.Commands;

/// <summary><c>kpu run MODEL --input FILE --output DIR [--mode reference|device] [--dump-layers]</c>, or a model from a kfpkg: <c>kpu run --flash PACKAGE --address ADDR [--load-flash]</c>.</summary>
internal static partial class RunCommand
{
    public static Command Create()
    {
        var model = new Argument<string?>("model") { Description = "kmodel file (V3, V4 or legacy); omit it with --flash", Arity = ArgumentArity.ZeroOrOne };
        var input = new Option<string>("--input", "-i") { Description = "Raw bytes of input 0 (exactly its size), or a picture (png, jpg, bmp)", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Folder for output_<i>.bin (created if missing)", Required = true };
        var mode = new Option<ArithmeticMode>("--mode") { Description = "Float arithmetic: reference (nncase simulator, SDK without fast-math) or device (firmware rounding)", DefaultValueFactory = _ => ArithmeticMode.Reference };
        var dump = new Option<bool>("--dump-layers") { Description = "Also write every layer's output to DIR/nodes/node_<k>_<Type>.bin" };
        var cmd = new Command("run", "Run a model on one input and write its raw outputs") { model, input, output, mode, dump };
        var flash = new FlashOptions(cmd);
        cmd.SetAction(p => CommandRunner.Run(p, () => Execute(flash.Open(p, p.GetValue(model)), p.GetValue(input)!, p.GetValue(output)!, p.GetValue(mode), p.GetValue(dump))));
        return cmd;
    }

    /// <summary>Reads an input file for input 0 of <paramref name="m"/>: raw bytes of exactly the right size, or a picture converted to planar uint8.</summary>
    internal static byte[] ReadInput(KModel m, string path, TextWriter log)
    {
        if (!File.Exists(path))
        {
            throw CliException.Usage($"input file not found: {path}");
        }

        TensorInfo t = m.Inputs[0];
        if (PlanarPicture.IsPicture(path))
        {
            if (t.ElementType != ElementType.UInt8 || t.Shape.Count != 4 || t.Shape[0] != 1 || t.Shape[1] is not (1 or 3))
            {
                throw CliException.Runtime($"this model's input is {t.ElementType} [{string.Join("x", t.Shape)}]; a picture can only feed a uint8 1- or 3-channel input: give the raw input bytes instead");
            }

            int c = t.Shape[1], h = t.Shape[2], w = t.Shape[3];
            PlanarPictureResult pic;
            try
            {
                pic = PlanarPicture.Load(path, w, h, c);
            }
            catch (InvalidDataException ex)
            {
                throw CliException.Runtime(ex.Message);
            }

            if (pic.Resized)
            {
                log.WriteLine($"input: {Path.GetFileName(path)} is {pic.SourceWidth}x{pic.SourceHeight}; resized to the model's {w}x{h}");
            }

            return pic.Data;
        }

        long len = new FileInfo(path).Length;
        if (len != t.ByteSize)
        {
            throw CliException.Runtime($"input file {Path.GetFileName(path)} has {len} bytes; input 0 of this model takes exactly {t.ByteSize} ({t.ElementType} [{string.Join("x", t.Shape)}]), or give a picture");
        }

        return File.ReadAllBytes(path);
    }

    private static int Execute(ModelSource source, string inputPath, string outDir, ArithmeticMode mode, bool dumpLayers)
    {
        using ModelSource src = source;
        KModel m = src.Model;
        byte[] input = ReadInput(m, inputPath, Console.Out);
        if (File.Exists(outDir))
        {
            throw CliException.Usage($"--output must be a folder, but {outDir} is a file");
        }

        string inputFull = Path.GetFullPath(inputPath);
        for (int i = 0; i < m.Outputs.Count; i++)
        {
            if (string.Equals(Path.GetFullPath(Path.Combine(outDir, $"output_{i}.bin")), inputFull, StringComparison.Ordinal))
            {
                throw CliException.Usage($"the input file would be overwritten by output_{i}.bin: choose another --output folder");
            }
        }

        Directory.CreateDirectory(outDir);
        string nodesDir = Path.Combine(outDir, "nodes");
        if (dumpLayers)
        {
            Directory.CreateDirectory(nodesDir);
        }

        using var interp = new Interpreter(m, new RunOptions { Mode = mode });
        interp.SetInput(0, input);
        if (dumpLayers)
        {
            interp.LayerCompleted = k =>
            {
                LayerDescriptor l = m.Layers[k];
                File.WriteAllBytes(Path.Combine(nodesDir, $"node_{k:000}_{l.Name}.bin"), interp.ReadLayerOutput(k));
            };
        }

        long t0 = Stopwatch.GetTimestamp();
        src.BeforeRun();
        interp.Run();
        TimeSpan elapsed = Stopwatch.GetElapsedTime(t0);
        var inv = CultureInfo.InvariantCulture;
        Console.Out.WriteLine(string.Create(inv, $"{src.Name}: {m.FormatName}, {m.Layers.Count} layers, {mode} mode, {elapsed.TotalMilliseconds:0.0} ms"));
        for (int i = 0; i < m.Outputs.Count; i++)
        {
            TensorInfo o = m.Outputs[i];
            ReadOnlySpan<byte> raw = interp.GetOutput(i);
            string file = Path.Combine(outDir, $"output_{i}.bin");
            File.WriteAllBytes(file, raw.ToArray());
            Console.Out.WriteLine(string.Create(inv, $"output {i}: {o.ElementType} [{string.Join("x", o.Shape)}] {raw.Length} B -> {file}"));
            if (o.ElementType == ElementType.Float32 && raw.Length / 4 <= 1000)
            {
                ReadOnlySpan<float> f = MemoryMarshal.Cast<byte, float>(raw[..(raw.Length / 4 * 4)]);
                float[] vals = f.ToArray();
                Console.Out.WriteLine("  top: " + string.Join(", ", Enumerable.Range(0, vals.Length).OrderByDescending(j => vals[j]).Take(5).Select(j => string.Create(inv, $"[{j}] {vals[j]:G6}"))));
            }
        }

        if (dumpLayers)
        {
            Console.Out.WriteLine($"layer outputs -> {nodesDir}");
        }

        src.Report(Console.Out);

        return ExitCodes.Ok;
    }
}
