using K210Kpu.Analysis;

namespace K210Kpu.Maix;

/// <summary>One layer of a model run with <see cref="Kpu.LoadFlash(int, bool, int, int)"/>: where its body sits in flash and what it costs to stream.</summary>
public sealed class FlashStreamedLayer
{
    internal FlashStreamedLayer(int index, string name, ExecutionUnit unit, long modelOffset, int bytes, long weightBytes, int batch, double spiMilliseconds, double computeMilliseconds)
    {
        Index = index;
        Name = name;
        Unit = unit;
        ModelOffset = modelOffset;
        Bytes = bytes;
        WeightBytes = weightBytes;
        Batch = batch;
        SpiMilliseconds = spiMilliseconds;
        ComputeMilliseconds = computeMilliseconds;
    }

    /// <summary>Layer index.</summary>
    public int Index { get; }

    /// <summary>Layer type name (as <see cref="LayerDescriptor.Name"/>).</summary>
    public string Name { get; }

    /// <summary>Where the layer runs: KPU or CPU.</summary>
    public ExecutionUnit Unit { get; }

    /// <summary>Offset of the layer body from the model's start (the flash address is the model address plus this).</summary>
    public long ModelOffset { get; }

    /// <summary>Body bytes read from flash for this layer every frame (registers, weights, BN and activation tables, or a CPU layer's parameters).</summary>
    public int Bytes { get; }

    /// <summary>Of <see cref="Bytes"/>, the KPU convolution weights (0 for CPU layers).</summary>
    public long WeightBytes { get; }

    /// <summary>Index of the flash read (<see cref="FlashStreamingPlan.Reads"/>) that brings this layer in.</summary>
    public int Batch { get; }

    /// <summary>Time to read <see cref="Bytes"/> over the SPI bus, ms.</summary>
    public double SpiMilliseconds { get; }

    /// <summary>Estimated time of the layer itself (K210 timing model), ms.</summary>
    public double ComputeMilliseconds { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Index}: {Name} {Bytes} B from flash (+0x{ModelOffset:X})";
}
