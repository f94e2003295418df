namespace K210Kpu;

/// <summary>Describes one model input or output.</summary>
public sealed class TensorInfo
{
    internal TensorInfo(int index, ElementType elementType, int[] shape, int byteSize, MemoryKind memory, long start)
    {
        Index = index;
        ElementType = elementType;
        Shape = shape;
        ByteSize = byteSize;
        Memory = memory;
        Start = start;
    }

    /// <summary>Input or output index.</summary>
    public int Index { get; }

    /// <summary>Element type.</summary>
    public ElementType ElementType { get; }

    /// <summary>Shape as N, C, H, W (dense row-major). For outputs whose shape the file does not store, a flat [1, 1, 1, n].</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Size in bytes of the raw data (what <c>output_i.bin</c> holds, what an input file must hold).</summary>
    public int ByteSize { get; }

    /// <summary>Memory the tensor lives in.</summary>
    public MemoryKind Memory { get; }

    /// <summary>Start within that memory (byte offset; for KPU RAM the byte address, i.e. row × 64).</summary>
    public long Start { get; }

    /// <summary>Number of elements.</summary>
    public int ElementCount => ElementType == ElementType.Float32 ? ByteSize / 4 : ByteSize;

    /// <inheritdoc />
    public override string ToString() =>
        $"{ElementType} [{string.Join("x", Shape)}] {ByteSize} B in {Memory}@{Start}";
}
