namespace K210Kpu.Analysis;

/// <summary>
/// Estimated K210 run time of a model at given clocks, per layer and in total (docs/k210-timing.md).
/// "Model time" covers the layers (KPU convs, their output DMA, CPU layers); it excludes the camera, the LCD,
/// the yolo2 region layer and MicroPython overhead. The first-layer input upload is given separately.
/// </summary>
public sealed class LatencyEstimate
{
    internal LatencyEstimate(double kpuClockMHz, double cpuClockMHz, IReadOnlyList<LayerLatency> layers, double inputUploadMilliseconds, IReadOnlyList<string> notes)
    {
        KpuClockMHz = kpuClockMHz;
        CpuClockMHz = cpuClockMHz;
        Layers = layers;
        InputUploadMilliseconds = inputUploadMilliseconds;
        Notes = notes;
    }

    /// <summary>KPU clock the estimate was made for, MHz.</summary>
    public double KpuClockMHz { get; }

    /// <summary>CPU clock the estimate was made for, MHz.</summary>
    public double CpuClockMHz { get; }

    /// <summary>Per-layer estimates, in run order (one per <see cref="KModel.Layers"/> entry).</summary>
    public IReadOnlyList<LayerLatency> Layers { get; }

    /// <summary>Time of the KPU layers without their output DMA, ms.</summary>
    public double KpuMilliseconds => Layers.Where(l => l.Unit == ExecutionUnit.Kpu).Sum(l => l.Milliseconds - l.OutputDmaMilliseconds);

    /// <summary>Time of the KPU-to-main-memory output DMAs, ms.</summary>
    public double OutputDmaMilliseconds => Layers.Sum(l => l.OutputDmaMilliseconds);

    /// <summary>Time of the CPU layers, ms.</summary>
    public double CpuMilliseconds => Layers.Where(l => l.Unit == ExecutionUnit.Cpu).Sum(l => l.Milliseconds);

    /// <summary>Model time: the sum over all layers, ms (what the SDK's KPU_DEBUG per-layer prints add up to).</summary>
    public double ModelMilliseconds => Layers.Sum(l => l.Milliseconds);

    /// <summary>Upload of the input image into KPU RAM before layer 0, ms (not part of <see cref="ModelMilliseconds"/>).</summary>
    public double InputUploadMilliseconds { get; }

    /// <summary>Model time plus the input upload, ms.</summary>
    public double TotalMilliseconds => ModelMilliseconds + InputUploadMilliseconds;

    /// <summary>Frames per second if the model alone (with its input upload) were the bottleneck.</summary>
    public double FramesPerSecond => TotalMilliseconds > 0 ? 1000.0 / TotalMilliseconds : 0;

    /// <summary>Multiply-accumulates per run, summed over the layers.</summary>
    public long TotalMacs => Layers.Sum(l => l.Macs);

    /// <summary>Stated relative error of <see cref="ModelMilliseconds"/> (0.15 = ±15 %).</summary>
    public double RelativeError => K210Timing.StatedRelativeError;

    /// <summary>Lower end of the stated range for the model time, ms.</summary>
    public double LowMilliseconds => ModelMilliseconds * (1 - RelativeError);

    /// <summary>Upper end of the stated range for the model time, ms.</summary>
    public double HighMilliseconds => ModelMilliseconds * (1 + RelativeError);

    /// <summary>True when every layer's constants come from a measurement of the same kind of layer.</summary>
    public bool FullyCalibrated => Layers.All(l => l.Calibrated);

    /// <summary>Caveats that apply to the whole estimate (format, uncalibrated layers, what is not included).</summary>
    public IReadOnlyList<string> Notes { get; }
}
