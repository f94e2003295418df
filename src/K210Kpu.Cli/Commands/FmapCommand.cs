using System.CommandLine;
using K210Kpu.Imaging;
using K210Kpu.Maix;

namespace K210Kpu.Cli.Commands;

/// <summary><c>kpu fmap MODEL IMAGE --layer N --out mosaic.png</c>: every channel of a layer's map, as the seed routine draws them.</summary>
internal static class FmapCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "kmodel file" };
        var image = new Argument<string>("image") { Description = "Picture fed to the model (resized to its input when needed)" };
        var layer = new Option<int>("--layer", "-l") { Description = "Layer index whose output to show (0-based)", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Mosaic PNG to write", DefaultValueFactory = _ => "fmap.png" };
        var width = new Option<int>("--width") { Description = "Mosaic width (the seed routine uses the 320x240 LCD)", DefaultValueFactory = _ => 320 };
        var height = new Option<int>("--height") { Description = "Mosaic height", DefaultValueFactory = _ => 240 };
        var cmd = new Command("fmap", "Draw all channels of one layer's feature map as a mosaic (MaixPy's fmap routine)") { model, image, layer, output, width, height };
        cmd.SetAction(p => CommandRunner.Run(p, () => Execute(p.GetValue(model)!, p.GetValue(image)!, p.GetValue(layer), p.GetValue(output)!, p.GetValue(width), p.GetValue(height))));
        return cmd;
    }

    private static int Execute(string modelPath, string picture, int layer, string outPath, int width, int height)
    {
        if (width is < 1 or > 8192 || height is < 1 or > 8192)
        {
            throw CliException.Usage("--width and --height must be between 1 and 8192");
        }

        KModel m = CommandRunner.LoadModel(modelPath);
        if (layer < 0 || layer >= m.Layers.Count)
        {
            throw CliException.Usage($"--layer {layer} is out of range: the model has layers 0..{m.Layers.Count - 1}");
        }

        if (!File.Exists(picture))
        {
            throw CliException.Usage($"picture not found: {picture}");
        }

        if (string.Equals(Path.GetFullPath(picture), Path.GetFullPath(outPath), StringComparison.Ordinal))
        {
            throw CliException.Usage("--out would overwrite the input picture: choose another file");
        }

        TensorInfo inp = m.Inputs[0];
        if (inp.ElementType != ElementType.UInt8 || inp.Shape.Count != 4 || inp.Shape[1] is not (1 or 3))
        {
            throw CliException.Runtime($"this model's input is {inp.ElementType} [{string.Join("x", inp.Shape)}], not a picture");
        }

        int c = inp.Shape[1], h = inp.Shape[2], w = inp.Shape[3];
        byte[] planar = RunCommand.ReadInput(m, picture, Console.Out);
        using KpuTask task = KpuTask.Create(m, null, modelPath, m.Bytes.Length);
        using FeatureMap fmap = Kpu.Forward(task, planar, layer + 1);
        if (fmap.ElementType != ElementType.UInt8)
        {
            throw CliException.Runtime($"layer {layer} ({m.Layers[layer].Name}) has a float map; MaixPy's fmap draws uint8 maps only");
        }

        Image mosaic = Kpu.FmapMosaic(fmap, width, height);
        ImageIO.Save(mosaic, outPath);
        Console.Out.WriteLine($"layer {layer} ({m.Layers[layer].Name}): {fmap.Ch} channels of {fmap.W}x{fmap.H} -> {outPath}");
        return ExitCodes.Ok;
    }
}
