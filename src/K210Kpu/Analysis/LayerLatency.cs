namespace K210Kpu.Analysis;

/// <summary>
/// The estimated K210 time of one layer, split into the terms of the timing model (docs/k210-timing.md),
/// so a reader can see why a layer is slow. All times are in milliseconds.
/// </summary>
public sealed class LayerLatency
{
    internal LayerLatency(int index, string name, uint opCode, ExecutionUnit unit)
    {
        Index = index;
        Name = name;
        OpCode = opCode;
        Unit = unit;
    }

    /// <summary>Layer index in run order.</summary>
    public int Index { get; }

    /// <summary>Layer type name, as in <see cref="LayerDescriptor.Name"/>.</summary>
    public string Name { get; }

    /// <summary>Layer type or opcode, as in <see cref="LayerDescriptor.OpCode"/>.</summary>
    public uint OpCode { get; }

    /// <summary>KPU or CPU.</summary>
    public ExecutionUnit Unit { get; }

    /// <summary>Multiply-accumulates of the layer (KPU convs: at the input resolution, before pooling).</summary>
    public long Macs { get; init; }

    /// <summary>Estimated time of the layer: the sum of the terms below.</summary>
    public double Milliseconds => FixedMilliseconds + LineMilliseconds + PairMilliseconds + WeightMilliseconds + OutputDmaMilliseconds + CpuMilliseconds;

    /// <summary>KPU layers: the per-layer fixed cost (<see cref="K210Timing.LayerFixedMilliseconds"/>).</summary>
    public double FixedMilliseconds { get; init; }

    /// <summary>KPU layers: time to stream the input lines (<see cref="Lines"/> × <see cref="K210Timing.CyclesPerLine"/>).</summary>
    public double LineMilliseconds { get; init; }

    /// <summary>KPU layers: per weight-set cost (<see cref="WeightPairs"/> × <see cref="K210Timing.CyclesPerWeightPair"/>).</summary>
    public double PairMilliseconds { get; init; }

    /// <summary>KPU layers: weight loading (<see cref="WeightBytes"/> × <see cref="K210Timing.CyclesPerWeightByte"/>).</summary>
    public double WeightMilliseconds { get; init; }

    /// <summary>KPU layers that also write to main memory: the output DMA.</summary>
    public double OutputDmaMilliseconds { get; init; }

    /// <summary>CPU layers: <see cref="CpuElements"/> × <see cref="K210Timing.CpuCyclesPerElement"/> at the CPU clock.</summary>
    public double CpuMilliseconds { get; init; }

    /// <summary>KPU layers: 64-byte KPU RAM lines streamed (per output channel for a normal conv, once for depthwise).</summary>
    public long Lines { get; init; }

    /// <summary>KPU layers: (input, output) channel weight sets; depthwise: channels.</summary>
    public long WeightPairs { get; init; }

    /// <summary>KPU layers: weight bytes loaded.</summary>
    public long WeightBytes { get; init; }

    /// <summary>KPU layers: the fraction of each 64-byte line the input map fills (e.g. 0.625 for a 20-wide map).</summary>
    public double LineFill { get; init; }

    /// <summary>CPU layers: the element count the CPU cost is computed from.</summary>
    public long CpuElements { get; init; }

    /// <summary>True when the constants behind this layer come from a measurement of the same kind of layer; false for an extrapolation.</summary>
    public bool Calibrated { get; init; }

    /// <summary>Why the layer costs what it costs, or a caveat; empty when there is nothing to add.</summary>
    public string Note { get; init; } = string.Empty;

    /// <summary>Effective throughput, in billions of multiply-accumulates per second (0 when the layer has no MACs).</summary>
    public double EffectiveGmacPerSecond => Macs > 0 && Milliseconds > 0 ? Macs / (Milliseconds * 1e-3) / 1e9 : 0;

    /// <inheritdoc />
    public override string ToString() => $"{Index}: {Name} {Unit} {Milliseconds:0.000} ms";
}
