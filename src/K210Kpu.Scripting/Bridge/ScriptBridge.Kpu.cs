namespace K210Kpu.Scripting.Bridge;

/// <summary>The KPU half of the bridge: model load, runs and outputs (maixpy-api §1–§9).</summary>
public sealed partial class ScriptBridge
{
    /// <summary>MaixPy's text for a model error code (maixpy-api §1.2).</summary>
    public static string ErrorText(int code) => code switch
    {
        0 => "ERR_NONE",
        2001 => "ERR_PARAM: please check param, load address or kmodel file name",
        2002 => "ERR_KMODEL_VERSION: only support kmodel V3/V4 now",
        2003 => "ERR_KMODEL_FORMAT: layer_header.body_size <=0",
        2004 => "ERR_DECRYPT: check smodel match with your board",
        2005 => "ERR_READ_FILE: read file failed",
        2006 => "ERR_NO_MEM: memory not enough",
        2007 => "ERR_GET_CONV_LAYER: first layer should be conv layer",
        2008 => "ERR_RUN_MODEL: maybe model dirty",
        2009 => "ERR_MODELS_FULL: we only support load 5 models in the same time",
        2010 => "ERR_PERMITION",
        2011 => "SIPEED_KPU_ERR_IDX_OUTRANGE",
        2012 => "SIPEED_KPU_ERR_SIZE_NOTMATCH",
        2013 => "ERR_OUTPUTS_SET: need kpu.set_outputs() to set shape",
        2014 => "ERR_NOT_IMPLEMENT",
        _ => "ERR_UNKNOWN",
    };

    /// <summary>Whether <c>run_yolo2</c> can run in this build.</summary>
    public static bool HasYolo2 => false;

    /// <summary><c>kpu.load(addr)</c>: the model flashed at <paramref name="address"/>.</summary>
    public KpuNet LoadFlash(long address)
    {
        ReadOnlyMemory<byte> data = Flash.ReadFrom(address);
        if (data.IsEmpty)
        {
            Notice($"flash-empty-{address}", $"nothing is flashed at 0x{address:X}: pass the model's package with --flash PACKAGE.kfpkg");
            throw LoadError(2002);
        }

        return Load(data, address, null);
    }

    /// <summary><c>kpu.load(path)</c>: the model file at <paramref name="hostPath"/> (seen by the script as <paramref name="scriptPath"/>).</summary>
    public KpuNet LoadFile(string hostPath, string scriptPath)
    {
        if (!File.Exists(hostPath))
        {
            Notice($"file-missing-{scriptPath}", $"{scriptPath} is {hostPath} on this machine, which does not exist");
            throw LoadError(2005);
        }

        return Load(File.ReadAllBytes(hostPath), -1, scriptPath);
    }

    /// <summary><c>kpu.deinit</c>.</summary>
    public void Deinit(KpuNet net) => net.Release();

    /// <summary><c>kpu.set_layers</c> for 0 &lt; n ≤ layers; n ≤ 0 restores all layers.</summary>
    public void SetLayers(KpuNet net, int n) => net.LayerLimit = n <= 0 ? net.LayerCount : n;

    /// <summary><c>kpu.set_outputs</c>: 0 when the shape matches output <paramref name="index"/>, else MaixPy's code (2011, 2012).</summary>
    public int SetOutputs(KpuNet net, int index, int w, int h, int ch)
    {
        if ((uint)index >= (uint)net.Model.Outputs.Count)
        {
            return 2011;
        }

        return (long)w * h * ch * 4 == net.Model.Outputs[index].ByteSize ? 0 : 2012;
    }

    /// <summary>The netinfo row of layer <paramref name="index"/>: index, type, wi, hi, wo, ho, chi, cho, dw, kernel_type, pool_type, para_size.</summary>
    public int[] NetInfo(KpuNet net, int index)
    {
        LayerDescriptor l = net.Model.Layers[index];
        return l.Kpu is { } k
            ? [l.Index, (int)l.OpCode, k.InputWidth, k.InputHeight, k.OutputWidth, k.OutputHeight, k.InputChannels, k.OutputChannels, k.Depthwise ? 1 : 0, k.KernelType, k.PoolType, k.ParaSize]
            : [l.Index, (int)l.OpCode, 0, 0, 0, 0, 0, 0, 0, 0, 0, l.BodySize];
    }

    /// <summary>Body size of layer <paramref name="index"/> (netinfo's per-layer print).</summary>
    public int LayerBodySize(KpuNet net, int index) => net.Model.Layers[index].BodySize;

    /// <summary>Type name of layer <paramref name="index"/>.</summary>
    public string LayerName(KpuNet net, int index) => net.Model.Layers[index].Name;

    /// <summary>
    /// The problems MaixPy's <c>check_img_format</c> would print for <paramref name="image"/> (empty when it fits),
    /// one line each without line ends.
    /// </summary>
    public string[] CheckImage(KpuNet net, FrameImage image)
    {
        (int w, int h, int ch) = InputShape(net);
        if (image.PixAi is null)
        {
            return ["[MAIXPY]kpu: pix_ai is NULL!"];
        }

        if (image.Width != w || image.Height != h)
        {
            return [$"[MAIXPY]kpu: img w={image.Width},h={image.Height}, but model w={w},h={h}"];
        }

        if (image.IsGrayscale && ch != 1)
        {
            return [$"[MAIXPY]kpu: grayscale img, but model channel={ch}"];
        }

        if (!image.IsGrayscale && ch != 3)
        {
            return [$"[MAIXPY]kpu: RGB img, but model channel={ch}"];
        }

        return [];
    }

    /// <summary>
    /// <c>kpu.forward(net, img, n)</c> as the KPU documentation defines it: computes the first <paramref name="layers"/>
    /// layers (all of <see cref="KpuNet.LayerLimit"/> when 0) on the image's ai buffer and returns the last computed
    /// layer's output; after a full run, output <paramref name="outIndex"/> of the model.
    /// </summary>
    public FeatureMapData Forward(KpuNet net, FrameImage image, int layers, int outIndex)
    {
        int count = LayersFor(net, layers);
        Run(net, image.PixAi ?? throw MaixError.Value("[MAIXPY]kpu: check img format err!\r\n"), count);
        return Output(net, count, outIndex);
    }

    /// <summary><c>kpu.forward(net, list_of_floats, n)</c>: the floats are the raw float32 input.</summary>
    public FeatureMapData ForwardFloats(KpuNet net, float[] input, int layers, int outIndex)
    {
        int count = LayersFor(net, layers);
        byte[] raw = new byte[input.Length * 4];
        Buffer.BlockCopy(input, 0, raw, 0, raw.Length);
        Run(net, raw, count);
        return Output(net, count, outIndex);
    }

    /// <summary><c>kpu.get_output(net, idx)</c>: output <paramref name="outIndex"/> as it stands, without running.</summary>
    public FeatureMapData GetOutput(KpuNet net, int outIndex) => Output(net, net.LayerLimit, outIndex);

    /// <summary>
    /// <c>kpu.run_yolo2</c>: detections as a flat array of (x, y, w, h, classid, value) sextuples, in MaixPy's order.
    /// </summary>
    public float[] RunYolo2(KpuNet net, FrameImage image, float threshold, float nms, float[] anchors)
    {
        _ = net;
        _ = image;
        _ = threshold;
        _ = nms;
        _ = anchors;
        throw MaixError.OS("run_yolo2: the YOLOv2 region layer of K210Kpu.Maix is not in this build");
    }

    /// <summary>A GRAYSCALE image over a copy of <paramref name="plane"/> (<c>kpu.fmap</c>'s channel image; its ai buffer is unset).</summary>
    public FrameImage GrayImage(int width, int height, byte[] plane)
    {
        if (plane.Length != width * height)
        {
            throw MaixError.Value($"plane of {plane.Length} bytes is not {width}x{height}");
        }

        FrameImage img = FrameImage.FromGray(width, height, plane.ToArray());
        img.PixAi = null;
        return img;
    }

    private static int LayersFor(KpuNet net, int layers)
    {
        if (layers < 0 || layers > net.LayerCount)
        {
            throw MaixError.Value($"[MAIXPY]kpu: forward can compute 1 to {net.LayerCount} layers of this model, not {layers}");
        }

        return layers == 0 ? net.LayerLimit : layers;
    }

    private void Run(KpuNet net, byte[] input, int layers)
    {
        if (net.Released)
        {
            throw MaixError.OS(ErrorText(2001));
        }

        try
        {
            net.Interpreter.SetInput(0, input);
            net.Interpreter.Run(layers);
        }
        catch (Exception ex) when (ex is KpuRuntimeException or KModelException)
        {
            Notice($"run-{ex.Message}", $"model run failed: {ex.Message}");
            throw MaixError.OS(ErrorText(2008));
        }

        KpuRuns++;
        Clock.Advance(EstimateMicroseconds(net));
    }

    private double EstimateMicroseconds(KpuNet net)
    {
        _ = net;
        return _options.FallbackKpuMilliseconds * 1000;
    }

    private static FeatureMapData Output(KpuNet net, int layers, int outIndex)
    {
        if (net.Released)
        {
            throw MaixError.OS(ErrorText(2001));
        }

        int last = layers - 1;
        LayerDescriptor layer = net.Model.Layers[last];
        byte[] bytes;
        bool isFloat;
        if (layers == net.LayerCount)
        {
            if ((uint)outIndex >= (uint)net.Model.Outputs.Count)
            {
                throw MaixError.OS("sipeed_kpu_get_output err");
            }

            bytes = net.Interpreter.GetOutput(outIndex).ToArray();
            isFloat = net.Model.Outputs[outIndex].ElementType == ElementType.Float32;
        }
        else
        {
            if (outIndex != 0)
            {
                throw MaixError.OS("sipeed_kpu_get_output err");
            }

            bytes = net.Interpreter.ReadLayerOutput(last);
            isFloat = layer.OutputType == ElementType.Float32;
        }

        if (layer.Kpu is { } k && !isFloat)
        {
            return new FeatureMapData(bytes, k.OutputWidth, k.OutputHeight, k.OutputChannels, last, false);
        }

        IReadOnlyList<int>? shape = layer.OutputShape;
        if (shape is { Count: >= 3 } && !isFloat)
        {
            return new FeatureMapData(bytes, shape[^1], shape[^2], shape[^3], last, false);
        }

        return new FeatureMapData(bytes, isFloat ? bytes.Length / 4 : bytes.Length, 1, 1, last, isFloat);
    }

    private static (int W, int H, int C) InputShape(KpuNet net)
    {
        if (net.Model.Layers.Count > 0 && net.Model.Layers[0].Kpu is { } k)
        {
            return (k.InputWidth, k.InputHeight, k.InputChannels);
        }

        IReadOnlyList<int> s = net.Model.Inputs.Count > 0 ? net.Model.Inputs[0].Shape : [];
        return s.Count >= 3 ? (s[^1], s[^2], s[^3]) : (0, 0, 0);
    }

    private KpuNet Load(ReadOnlyMemory<byte> data, long address, string? path)
    {
        KModel model;
        try
        {
            model = KModel.Load(data);
        }
        catch (KModelVersionException ex)
        {
            Notice($"load-{ex.Message}", $"model not loaded: {ex.Message}");
            throw LoadError(2002);
        }
        catch (KModelException ex)
        {
            Notice($"load-{ex.Message}", $"model not loaded: {ex.Message}");
            throw LoadError(2003);
        }

        int size = model.Version == 3
            ? 28 + (8 * model.Outputs.Count) + (8 * model.Layers.Count) + model.Layers.Sum(l => l.BodySize)
            : model.Bytes.Length;
        return new KpuNet(model, address, path, size);
    }

    private static MaixError LoadError(int code) => MaixError.Value($"[MAIXPY]kpu: load error:{code}, {ErrorText(code)}");
}
