using K210Kpu.Analysis;
using K210Kpu.Maix;
using K210Kpu.PostProcessing;

namespace K210Kpu.Scripting.Bridge;

/// <summary>The KPU half of the bridge: thin calls into <see cref="Kpu"/> plus run counting and the simulated clock.</summary>
public sealed partial class ScriptBridge
{
    private readonly Dictionary<KpuTask, double> _latency = [];
    private readonly List<KpuTask> _tasks = [];

    /// <summary><c>kpu.load(addr)</c>: the model flashed at <paramref name="address"/>.</summary>
    public KpuTask LoadFlash(int address)
    {
        try
        {
            return Track(Kpu.Load(Flash, address));
        }
        catch (MaixPyException ex) when (ex.Code == KpuErrorCode.KModelVersion && Flash.Contents[address..].IndexOfAnyExcept((byte)0xFF) is -1 or > 64)
        {
            Notice($"flash-empty-{address}", $"nothing is flashed at 0x{address:X}: pass the model's package with --flash PACKAGE.kfpkg");
            throw;
        }
    }

    /// <summary>
    /// <c>kpu.load_flash(addr, is_dual_buf, batch_size, spi_speed)</c>: the byte-swapped model at
    /// <paramref name="address"/>, its layers streamed from the flash on every run (<see cref="Kpu.LoadFlash(Flash, int, bool, int, int)"/>).
    /// </summary>
    public KpuTask LoadFlashStreaming(int address, int isDualBuffer, int batchSize, int spiSpeed) =>
        Track(Kpu.LoadFlash(Flash, address, isDualBuffer != 0, batchSize, spiSpeed));

    /// <summary><c>kpu.load(path)</c>: the model file at <paramref name="hostPath"/> (seen by the script as <paramref name="scriptPath"/>).</summary>
    public KpuTask LoadFile(string hostPath, string scriptPath)
    {
        if (!File.Exists(hostPath))
        {
            Notice($"file-missing-{scriptPath}", $"{scriptPath} is {hostPath} on this machine, which does not exist");
        }

        return Track(Kpu.Load(hostPath));
    }

    /// <summary>Frees every model the script loaded, as a board reset does when a script ends.</summary>
    internal void ReleaseModels()
    {
        foreach (KpuTask task in _tasks)
        {
            task.Dispose();
        }

        _tasks.Clear();
    }

    private KpuTask Track(KpuTask task)
    {
        _tasks.Add(task);
        return task;
    }

    /// <summary><c>kpu.init_yolo2</c> (arguments already checked as MaixPy checks them).</summary>
    public bool InitYolo2(KpuTask task, float threshold, float nms, int anchorNumber, float[] anchors) =>
        Kpu.InitYolo2(task, threshold, nms, anchorNumber, anchors);

    /// <summary>
    /// <c>kpu.run_yolo2</c>: detections as a flat array of (x, y, w, h, classid, value) sextuples, in MaixPy's order.
    /// </summary>
    public double[] RunYolo2(KpuTask task, Image image)
    {
        IReadOnlyList<Detection> found;
        try
        {
            found = Kpu.RunYolo2(task, image);
        }
        catch (InvalidOperationException)
        {
            throw MaixError.Value("[MAIXPY]kpu: run_yolo2 before init_yolo2: call kpu.init_yolo2(task, ...) first");
        }

        Counted(task);
        Detections += found.Count;
        double[] flat = new double[found.Count * 6];
        for (int i = 0; i < found.Count; i++)
        {
            Detection d = found[i];
            flat[i * 6] = d.X;
            flat[(i * 6) + 1] = d.Y;
            flat[(i * 6) + 2] = d.W;
            flat[(i * 6) + 3] = d.H;
            flat[(i * 6) + 4] = d.ClassId;
            flat[(i * 6) + 5] = d.Value;
        }

        return flat;
    }

    /// <summary>
    /// <c>kpu.forward(task, img, n)</c>: <paramref name="layers"/> &gt; 0 computes that many layers (the KPU
    /// documentation's meaning); 0 runs as the V3 firmware does (<c>set_layers</c>, output 0).
    /// </summary>
    public FeatureMap Forward(KpuTask task, Image image, int layers)
    {
        FeatureMap map = layers > 0 ? Kpu.Forward(task, image, layers) : Kpu.Forward(task, image);
        Counted(task);
        return map;
    }

    /// <summary><c>kpu.forward(task, list_of_floats)</c>: the floats are the raw float32 input.</summary>
    public FeatureMap ForwardFloats(KpuTask task, float[] input)
    {
        FeatureMap map = Kpu.Forward(task, (ReadOnlySpan<float>)input);
        Counted(task);
        return map;
    }

    /// <summary><c>kpu.get_output(task, idx)</c>.</summary>
    public FeatureMap GetOutput(KpuTask task, int index) => Kpu.GetOutput(task, index);

    /// <summary><c>kpu.set_layers(task, n)</c> (prints MaixPy's complaint to the script output when n is too large).</summary>
    public bool SetLayers(KpuTask task, int n) => Kpu.SetLayers(task, n);

    /// <summary><c>kpu.set_outputs(task, idx, w, h, ch)</c>.</summary>
    public bool SetOutputs(KpuTask task, int index, int w, int h, int ch) => Kpu.SetOutputs(task, index, w, h, ch);

    /// <summary><c>kpu.deinit(task)</c>.</summary>
    public bool Deinit(KpuTask task) => Kpu.Deinit(task);

    /// <summary><c>kpu.fmap(fmap, ch)</c>: channel <paramref name="channel"/> as a GRAYSCALE image.</summary>
    public Image Fmap(FeatureMap map, int channel) => Kpu.Fmap(map, channel);

    /// <summary><c>KPU.memtest()</c>.</summary>
    public void MemTest() => Kpu.MemTest();

    /// <summary>A feature map's bytes (uint8 maps) — copied for the script.</summary>
    public byte[] MapBytes(FeatureMap map) => map.ToArray();

    /// <summary>A feature map's float32 values (float maps).</summary>
    public float[] MapFloats(FeatureMap map) => map.Floats.ToArray();

    /// <summary>Whether a feature map holds float32 values.</summary>
    public bool MapIsFloat(FeatureMap map) => map.ElementType == ElementType.Float32;

    /// <summary>The netinfo row of every layer the task runs: index, type, wi, hi, wo, ho, chi, cho, dw, kernel_type, pool_type, para_size.</summary>
    public int[][] NetInfo(KpuTask task) =>
        [.. Kpu.NetInfo(task).Select(l => new[] { l.Index, (int)l.Type, l.Wi, l.Hi, l.Wo, l.Ho, l.Chi, l.Cho, l.Dw, l.KernelType, l.PoolType, l.ParaSize })];

    /// <summary>MaixPy's per-layer netinfo print lines (<c>layer[i]: TYPE, N bytes</c>).</summary>
    public string[] NetInfoLines(KpuTask task)
    {
        IReadOnlyList<LayerInfo> infos = Kpu.NetInfo(task);
        return [.. infos.Select(l => $"layer[{l.Index}]: {l.TypeName}, {task.Model.Layers[l.Index].BodySize} bytes")];
    }

    /// <summary>MaixPy's type name of each layer the task runs.</summary>
    public string[] NetInfoNames(KpuTask task) => [.. Kpu.NetInfo(task).Select(l => l.TypeName)];

    private void Counted(KpuTask task)
    {
        KpuRuns++;
        if (!_latency.TryGetValue(task, out double us))
        {
            try
            {
                us = LatencyEstimator.Estimate(task.Model).TotalMilliseconds * 1000;
            }
            catch (Exception ex) when (ex is KModelException or InvalidOperationException or ArgumentException or NotSupportedException)
            {
                us = 0;
            }

            if (!(us > 0))
            {
                us = _options.FallbackKpuMilliseconds * 1000;
            }

            _latency[task] = us;
        }

        Clock.Advance(us);
    }
}
