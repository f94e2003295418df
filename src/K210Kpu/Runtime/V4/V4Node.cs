using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4;

/// <summary>
/// One parsed V4 node: its validated options (read once at load time) and how to run it on a <see cref="V4Executor"/>.
/// Every range and count the node touches was checked against its pool when the body was read, so running never
/// reads or writes outside the memories.
/// </summary>
internal abstract class V4Node
{
    protected V4Node(V4LoadContext context)
    {
        Index = context.Index;
        OpCode = context.OpCode;
        Name = context.Name;
        BodyOffset = context.BodyOffset;
        BodySize = context.BodySize;
    }

    public int Index { get; }

    public uint OpCode { get; }

    public string Name { get; }

    public long BodyOffset { get; }

    public int BodySize { get; }

    /// <summary>The range the node writes (for KPU nodes the main-memory copy, or a KPU range).</summary>
    public abstract V4MemoryRange Output { get; }

    /// <summary>Runs the node.</summary>
    public abstract void Run(V4Executor executor);

    /// <summary>The descriptor reported through <see cref="KModel.Layers"/>.</summary>
    public abstract LayerDescriptor Describe();

    /// <summary>Copies the node's output in the golden <c>nodes/</c> format (default: the raw bytes of <see cref="Output"/>).</summary>
    public virtual void ReadOutput(V4Executor executor, Span<byte> destination) =>
        executor.Read(Output).CopyTo(destination);

    /// <summary>A descriptor whose output is the raw range <see cref="Output"/>.</summary>
    protected LayerDescriptor RangeDescriptor(IReadOnlyList<int>? shape, long macs, string details) =>
        new(Index, OpCode, Name, BodyOffset, BodySize)
        {
            OutputShape = shape,
            OutputType = Output.DataType,
            OutputMemory = Output.Memory,
            OutputStart = Output.Start,
            OutputBytes = (int)Output.Size,
            Macs = macs,
            Details = details,
        };
}
