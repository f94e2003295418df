namespace K210Kpu;

/// <summary>One layer (V3, legacy) or node (V4) of a model, as stored in the file.</summary>
public sealed class LayerDescriptor
{
    internal LayerDescriptor(int index, uint opCode, string name, long bodyOffset, int bodySize)
    {
        Index = index;
        OpCode = opCode;
        Name = name;
        BodyOffset = bodyOffset;
        BodySize = bodySize;
    }

    /// <summary>Layer index (0-based, in run order).</summary>
    public int Index { get; }

    /// <summary>Layer type (V3: <c>KL_*</c> value, legacy: 10240) or V4 opcode.</summary>
    public uint OpCode { get; }

    /// <summary>Name of the type, e.g. <c>K210Conv</c>, <c>Dequantize</c>, <c>KPUConv2D</c> (the names the golden dumps use).</summary>
    public string Name { get; }

    /// <summary>File offset of the layer body.</summary>
    public long BodyOffset { get; }

    /// <summary>Body size in bytes as declared in the layer header.</summary>
    public int BodySize { get; }

    /// <summary>KPU register summary when this is a KPU convolution; otherwise null.</summary>
    public KpuLayerInfo? Kpu { get; init; }

    /// <summary>Shape (N, C, H, W) of the layer's output, when known.</summary>
    public IReadOnlyList<int>? OutputShape { get; init; }

    /// <summary>Element type of the layer's output.</summary>
    public ElementType OutputType { get; init; } = ElementType.UInt8;

    /// <summary>Where the layer's output is written.</summary>
    public MemoryKind OutputMemory { get; init; } = MemoryKind.Main;

    /// <summary>Start of the output in its memory (bytes).</summary>
    public long OutputStart { get; init; }

    /// <summary>Output size in bytes, in the dense form the layer dumps use.</summary>
    public int OutputBytes { get; init; }

    /// <summary>Multiply-accumulate operations the layer performs per run (0 for data movement).</summary>
    public long Macs { get; init; }

    /// <summary>Per-layer quantization stored by the file (legacy format); otherwise null.</summary>
    public LayerQuantization? Quantization { get; init; }

    /// <summary>Human-readable extra details (memory ranges, parameters), for <c>kpu info</c>.</summary>
    public string Details { get; init; } = string.Empty;

    /// <inheritdoc />
    public override string ToString() => $"{Index}: {Name} (0x{OpCode:X}), {BodySize} B";
}
