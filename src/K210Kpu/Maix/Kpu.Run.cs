using K210Kpu.PostProcessing;

namespace K210Kpu.Maix;

/// <summary>Running models: <c>init_yolo2</c>, <c>run_yolo2</c>, <c>forward</c>, <c>get_output</c>, <c>set_layers</c>, <c>set_outputs</c>.</summary>
public static partial class Kpu
{
    /// <summary>
    /// <c>kpu.init_yolo2(task, threshold, nms_value, anchor_number, anchor)</c>: stores the region-layer parameters in
    /// the task (replacing earlier ones). Anchors are (w, h) pairs in grid cells.
    /// </summary>
    /// <returns>True.</returns>
    /// <exception cref="MaixPyException">
    /// "threshold only support 0 to 1", "nms_value only support 0 to 1" (NaN included), "anchor_number should &gt; 0",
    /// or MicroPython's "tuple/list has wrong length" when there are not exactly 2·anchor_number anchor values.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The task was disposed.</exception>
    public static bool InitYolo2(KpuTask task, float threshold, float nmsValue, int anchorNumber, IReadOnlyList<float> anchors)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(anchors);
        task.ThrowIfDisposed();
        if (!(threshold >= 0f && threshold <= 1f))
        {
            throw MaixPyException.Value("[MAIXPY]kpu: threshold only support 0 to 1");
        }

        if (!(nmsValue >= 0f && nmsValue <= 1f))
        {
            throw MaixPyException.Value("[MAIXPY]kpu: nms_value only support 0 to 1");
        }

        if (anchorNumber <= 0)
        {
            throw MaixPyException.Value("[MAIXPY]kpu: anchor_number should > 0");
        }

        if (anchors.Count != 2 * anchorNumber)
        {
            throw MaixPyException.Value("tuple/list has wrong length");
        }

        task.Yolo2 = new Yolo2Options(threshold, nmsValue, anchors);
        return true;
    }

    /// <summary>
    /// <c>kpu.run_yolo2(task, img)</c>: runs the model on the image's KPU buffer (its <see cref="Image.AiBuffer"/> when it
    /// has one, as a camera frame does, else the pixels converted as <c>pix_to_ai</c> converts them) and decodes
    /// output 0 with the firmware's region layer (<see cref="Yolo2Decoder"/>).
    /// </summary>
    /// <returns>The detections in the firmware's order; an empty list where MaixPy returns None.</returns>
    /// <exception cref="MaixPyException">
    /// "check img format err!" when the image's size or channel count differs from the model input (the reason,
    /// which MaixPy prints, is in <see cref="MaixPyException.Printed"/>); "first layer not conv layer!" for V3 models
    /// not starting with a KPU layer; "region_layer_init err!" when the output does not fit the anchors;
    /// OSError "ERR_RUN_MODEL: maybe model dirty" (2008) when the run fails.
    /// </exception>
    /// <exception cref="InvalidOperationException"><see cref="InitYolo2"/> was not called (MaixPy reads uninitialised memory).</exception>
    /// <exception cref="ObjectDisposedException">The task was disposed.</exception>
    public static IReadOnlyList<Detection> RunYolo2(KpuTask task, Image image)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(image);
        task.ThrowIfDisposed();
        byte[] input = ImageInput(task, image);
        return RunYolo2Core(task, input);
    }

    /// <summary>
    /// <c>run_yolo2</c> on a raw input: <paramref name="input"/> is the model's input tensor as the KPU reads it
    /// (uint8 planar CHW, R, G, B planes; what golden <c>input.bin</c> files hold).
    /// </summary>
    /// <returns>The detections in the firmware's order; empty when none.</returns>
    /// <exception cref="MaixPyException">The input size differs from the model's (see also <see cref="RunYolo2(KpuTask, Image)"/>).</exception>
    /// <exception cref="InvalidOperationException"><see cref="InitYolo2"/> was not called.</exception>
    public static IReadOnlyList<Detection> RunYolo2(KpuTask task, ReadOnlySpan<byte> input)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.ThrowIfDisposed();
        CheckRawInput(task, input.Length);
        return RunYolo2Core(task, input);
    }

    /// <summary>
    /// <c>kpu.forward(task, img, n)</c> with the documented meaning: runs the first <paramref name="layerCount"/> layers
    /// and returns the last one's output (layer <c>n - 1</c>). <paramref name="layerCount"/> ≤ 0 runs the task's
    /// <see cref="KpuTask.LayerCount"/> layers. The task's layer count is not changed.
    /// </summary>
    /// <returns>The feature map of layer <c>n - 1</c> (uint8 <c>[Ch][H][W]</c> for KPU layers); dispose it when done.</returns>
    /// <exception cref="MaixPyException">"err: set layers_length to n, but max m" when the model has fewer layers; image errors as <see cref="RunYolo2(KpuTask, Image)"/>.</exception>
    /// <exception cref="ObjectDisposedException">The task was disposed.</exception>
    public static FeatureMap Forward(KpuTask task, Image image, int layerCount)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(image);
        task.ThrowIfDisposed();
        int n = LayersToRun(task, layerCount);
        byte[] input = ImageInput(task, image);
        RunLayers(task, input, n);
        return LayerMap(task, n - 1);
    }

    /// <summary>
    /// <c>kpu.forward(task, img)</c> as the V3 firmware runs it: runs <see cref="KpuTask.LayerCount"/> layers (see
    /// <see cref="SetLayers"/>) and returns output 0, or, after <see cref="SetLayers"/> shortened the run, the output
    /// of the last layer run.
    /// </summary>
    /// <returns>The feature map; dispose it when done.</returns>
    /// <exception cref="MaixPyException">Image or run errors as <see cref="RunYolo2(KpuTask, Image)"/>.</exception>
    public static FeatureMap Forward(KpuTask task, Image image)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(image);
        task.ThrowIfDisposed();
        byte[] input = ImageInput(task, image);
        RunLayers(task, input, task.LayerCount);
        return task.LayerCount == task.Model.Layers.Count ? OutputMap(task, 0) : LayerMap(task, task.LayerCount - 1);
    }

    /// <summary>
    /// <c>forward</c> on a raw input tensor (uint8 planar CHW for KPU models; a float model's input as float32
    /// little-endian bytes), running <paramref name="layerCount"/> layers (≤ 0: <see cref="KpuTask.LayerCount"/>) and
    /// returning the last one's output.
    /// </summary>
    /// <returns>The feature map; dispose it when done.</returns>
    /// <exception cref="MaixPyException">The input size differs from the model's input; the run fails.</exception>
    public static FeatureMap Forward(KpuTask task, ReadOnlySpan<byte> input, int layerCount = 0)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.ThrowIfDisposed();
        int n = LayersToRun(task, layerCount);
        if (input.Length != task.Model.Inputs[0].ByteSize)
        {
            throw MaixPyException.Value("[MAIXPY]kpu: check input list format err!", $"input is {input.Length} bytes, the model's input {task.Model.Inputs[0].ByteSize}");
        }

        RunLayers(task, input, n);
        return n == task.Model.Layers.Count && layerCount <= 0 ? OutputMap(task, 0) : LayerMap(task, n - 1);
    }

    /// <summary>
    /// <c>forward(task, list_of_floats)</c>: runs a model whose input is float32 on the given values (MaixPy passes
    /// the list as the raw input buffer).
    /// </summary>
    /// <returns>Output 0 as a feature map; dispose it when done.</returns>
    /// <exception cref="MaixPyException">"check input list format err!" for an empty list or one that does not fill the input.</exception>
    public static FeatureMap Forward(KpuTask task, ReadOnlySpan<float> input)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (input.IsEmpty)
        {
            throw MaixPyException.Value("[MAIXPY]kpu: check input list format err!");
        }

        return Forward(task, System.Runtime.InteropServices.MemoryMarshal.AsBytes(input), 0);
    }

    /// <summary>
    /// <c>kpu.set_layers(task, n)</c>: later runs stop after <paramref name="layerCount"/> layers; ≤ 0 restores all.
    /// When the model has fewer layers MaixPy prints "err: set layers_length to n, but max m" (here to
    /// <see cref="Output"/>) and returns false.
    /// </summary>
    /// <returns>True when applied.</returns>
    public static bool SetLayers(KpuTask task, int layerCount)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.ThrowIfDisposed();
        int max = task.Model.Layers.Count;
        if (layerCount > max)
        {
            Output.Write($"err: set layers_length to {layerCount}, but max {max}\r\n");
            return false;
        }

        task.LayerCount = layerCount <= 0 ? max : layerCount;
        return true;
    }

    /// <summary>
    /// <c>kpu.get_output(task, index)</c>: output <paramref name="index"/> as it stands after the last run (zeros before
    /// any run), without running. Shape: from <see cref="SetOutputs"/> when set, else from the model's output shape.
    /// </summary>
    /// <returns>The feature map; dispose it when done.</returns>
    /// <exception cref="MaixPyException">OSError "2011" when the index is out of range.</exception>
    public static FeatureMap GetOutput(KpuTask task, int index)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.ThrowIfDisposed();
        if ((uint)index >= (uint)task.Model.Outputs.Count)
        {
            throw MaixPyException.OS(((int)KpuErrorCode.IndexOutOfRange).ToString(System.Globalization.CultureInfo.InvariantCulture), KpuErrorCode.IndexOutOfRange);
        }

        return OutputMap(task, index);
    }

    /// <summary>
    /// <c>kpu.set_outputs(task, index, w, h, ch)</c>: declares the shape of an output (MaixPy needs it for V4 models).
    /// On a wrong index or a shape whose size differs from the output's, prints MaixPy's message to
    /// <see cref="Output"/> and returns false.
    /// </summary>
    /// <returns>True when the shape was stored.</returns>
    public static bool SetOutputs(KpuTask task, int index, int w, int h, int ch)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.ThrowIfDisposed();
        if ((uint)index >= (uint)task.Model.Outputs.Count)
        {
            Output.Write($"[MAIXPY]kpu: set_outputs arg value error:kmodel output idx {index} out of range\r\n");
            return false;
        }

        TensorInfo info = task.Model.Outputs[index];
        int elementSize = info.ElementType == ElementType.Float32 ? 4 : 1;
        if (w <= 0 || h <= 0 || ch <= 0 || (long)w * h * ch * elementSize != info.ByteSize)
        {
            Output.Write("[MAIXPY]kpu: set_outputs arg value error: w,c,ch size not match output size\r\n");
            return false;
        }

        task.SetOutputShape(index, w, h, ch);
        return true;
    }

    private static IReadOnlyList<Detection> RunYolo2Core(KpuTask task, ReadOnlySpan<byte> input)
    {
        Yolo2Options options = task.Yolo2 ?? throw new InvalidOperationException(
            "init_yolo2 was not called for this task (MaixPy reads uninitialised memory here); call Kpu.InitYolo2 first");
        (int w, int h, int ch) = RegionShape(task);
        (int netW, int netH, _) = InputShape(task);
        TensorInfo output = task.Model.Outputs[0];
        if (output.ElementType != ElementType.Float32
            || Yolo2Decoder.ClassCount(ch, options.AnchorNumber) < 1
            || ch % options.AnchorNumber != 0
            || (long)w * h * ch * 4 > output.ByteSize)
        {
            throw MaixPyException.Value(
                "[MAIXPY]kpu: region_layer_init err!",
                $"output 0 ({output}) does not hold a {w}x{h}x{ch} float map of {options.AnchorNumber} anchors");
        }

        RunLayers(task, input, task.Model.Layers.Count);
        float[] values = task.Interpreter.GetOutputAsFloats(0);
        return Yolo2Decoder.Decode(values, w, h, ch, netW, netH, options);
    }

    // Grid of the region layer: the last KPU conv layer's output (MaixPy's sipeed_kpu_model_get_output_shape),
    // or the shape given to set_outputs for output 0.
    private static (int W, int H, int Ch) RegionShape(KpuTask task)
    {
        if (task.OutputShapes.TryGetValue(0, out (int W, int H, int Ch) set))
        {
            return set;
        }

        IReadOnlyList<LayerDescriptor> layers = task.Model.Layers;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            if (layers[i].Kpu is { } k)
            {
                return (k.OutputWidth, k.OutputHeight, k.OutputChannels);
            }
        }

        throw MaixPyException.Value("[MAIXPY]kpu: region_layer_init err!", "the model has no KPU layer");
    }

    internal static (int W, int H, int Ch) InputShape(KpuTask task)
    {
        KModel model = task.Model;
        if (model.Format == KModelFormat.V3 || model.Inputs.Count == 0)
        {
            KpuLayerInfo? k = model.Layers.Count > 0 ? model.Layers[0].Kpu : null;
            if (k is null)
            {
                throw MaixPyException.Value("[MAIXPY]kpu: first layer not conv layer!\r\n");
            }

            return (k.InputWidth, k.InputHeight, k.InputChannels);
        }

        IReadOnlyList<int> s = model.Inputs[0].Shape;
        return s.Count >= 4 ? (s[3], s[2], s[1]) : (model.Inputs[0].ElementCount, 1, 1);
    }

    private static byte[] ImageInput(KpuTask task, Image image)
    {
        (int w, int h, int ch) = InputShape(task);
        string? printed = null;
        if (image.Width != w || image.Height != h)
        {
            printed = $"[MAIXPY]kpu: img w={image.Width},h={image.Height}, but model w={w},h={h}";
        }
        else if (image.Format == PixelFormat.Grayscale && ch != 1)
        {
            printed = $"[MAIXPY]kpu: grayscale img, but model channel={ch}";
        }
        else if (image.Format != PixelFormat.Grayscale && ch != 3)
        {
            printed = $"[MAIXPY]kpu: RGB img, but model channel={ch}";
        }

        if (printed is not null)
        {
            throw MaixPyException.Value("[MAIXPY]kpu: check img format err!\r\n", printed);
        }

        byte[] input = image.HasAiBuffer ? image.AiBuffer.ToArray() : image.ToPlanar();
        CheckRawInput(task, input.Length);
        return input;
    }

    private static void CheckRawInput(KpuTask task, int length)
    {
        int expected = task.Model.Inputs.Count > 0 ? task.Model.Inputs[0].ByteSize : -1;
        if (length != expected)
        {
            throw MaixPyException.Value(
                "[MAIXPY]kpu: check img format err!\r\n",
                $"the input is {length} bytes, but the model's input {expected}");
        }
    }

    private static int LayersToRun(KpuTask task, int layerCount)
    {
        int max = task.Model.Layers.Count;
        if (layerCount > max)
        {
            throw MaixPyException.Value($"err: set layers_length to {layerCount}, but max {max}");
        }

        return layerCount <= 0 ? task.LayerCount : layerCount;
    }

    private static void RunLayers(KpuTask task, ReadOnlySpan<byte> input, int layerCount)
    {
        Interpreter interpreter = task.Interpreter;
        try
        {
            interpreter.SetInput(0, input);
            task.StreamFromFlash(layerCount);
            interpreter.Run(layerCount);
        }
        catch (Exception e) when (e is KpuRuntimeException or KModelException)
        {
            throw MaixPyException.OS(MaixPyException.Describe(KpuErrorCode.RunModel), KpuErrorCode.RunModel, e);
        }
    }

    internal static FeatureMap LayerMap(KpuTask task, int index)
    {
        LayerDescriptor layer = task.Model.Layers[index];
        byte[] data = task.Interpreter.ReadLayerOutput(index);
        if (layer.Kpu is { } k && (long)k.OutputWidth * k.OutputHeight * k.OutputChannels == data.Length)
        {
            return new FeatureMap(data, k.OutputWidth, k.OutputHeight, k.OutputChannels, index, ElementType.UInt8);
        }

        (int w, int h, int ch) = ShapeOf(layer.OutputShape, data.Length, layer.OutputType);
        return new FeatureMap(data, w, h, ch, index, layer.OutputType);
    }

    private static FeatureMap OutputMap(KpuTask task, int index)
    {
        TensorInfo info = task.Model.Outputs[index];
        byte[] data = task.Interpreter.GetOutput(index).ToArray();
        (int w, int h, int ch) = task.OutputShapes.TryGetValue(index, out (int W, int H, int Ch) set)
            ? set
            : ShapeOf(info.Shape, data.Length, info.ElementType);
        return new FeatureMap(data, w, h, ch, task.LayerCount - 1, info.ElementType);
    }

    private static (int W, int H, int Ch) ShapeOf(IReadOnlyList<int>? shape, int bytes, ElementType type)
    {
        int elementSize = type == ElementType.Float32 ? 4 : 1;
        int count = bytes / elementSize;
        if (shape is { Count: 4 } s && (long)s[0] * s[1] * s[2] * s[3] == count && s[0] == 1)
        {
            return (s[3], s[2], s[1]);
        }

        return (count, 1, 1);
    }
}
