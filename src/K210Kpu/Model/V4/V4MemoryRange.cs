namespace K210Kpu.Model.V4;

/// <summary>
/// <c>memory_range</c> (16 bytes): memory type, datatype, start and size in bytes within that memory.
/// </summary>
internal readonly record struct V4MemoryRange(MemoryKind Memory, ElementType DataType, uint Start, uint Size)
{
    /// <summary>Bytes per element of <see cref="DataType"/>.</summary>
    public int ElementSize => DataType == ElementType.Float32 ? 4 : 1;

    /// <summary>First byte past the range.</summary>
    public long End => (long)Start + Size;

    public override string ToString()
    {
        string mem = Memory switch
        {
            MemoryKind.Constant => "const",
            MemoryKind.Main => "main",
            _ => "kpu",
        };
        string dt = DataType == ElementType.Float32 ? "f32" : "u8";
        return $"{mem}[0x{Start:X}+{Size}] {dt}";
    }
}
