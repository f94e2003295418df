using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3;

/// <summary>
/// One parsed and validated V3 layer: its body fields, what it reads and writes, and how it runs
/// (kpu-and-kmodel-v3 §4.6–4.8; the SDK's <c>lib/drivers/kpu.c</c> is normative for CPU layers).
/// </summary>
internal abstract class V3Op
{
    protected V3Op(int index, V3LayerType type, long bodyOffset)
    {
        Index = index;
        Type = type;
        BodyOffset = bodyOffset;
    }

    /// <summary>Layer index.</summary>
    public int Index { get; }

    /// <summary>Layer type.</summary>
    public V3LayerType Type { get; }

    /// <summary>File offset of the body.</summary>
    public long BodyOffset { get; }

    /// <summary>Name used by the golden dumps and <c>kpu info</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Element type of the output.</summary>
    public abstract ElementType OutputType { get; }

    /// <summary>Memory holding the output.</summary>
    public virtual MemoryKind OutputMemory => MemoryKind.Main;

    /// <summary>Output start (byte offset in its memory).</summary>
    public abstract long OutputStart { get; }

    /// <summary>Output bytes in the dump form.</summary>
    public abstract int OutputBytes { get; }

    /// <summary>The range of main memory the output occupies, or null when the output is only in KPU RAM.</summary>
    public virtual (long Start, int Bytes)? MainOutput => OutputMemory == MemoryKind.Main ? (OutputStart, OutputBytes) : null;

    /// <summary>Main-memory input start, for shape propagation; -1 when the input is not in main memory.</summary>
    public virtual long InputStart => -1;

    /// <summary>Elements read from <see cref="InputStart"/>.</summary>
    public virtual long InputElements => 0;

    /// <summary>Output shape when the layer defines it; null when it follows its input.</summary>
    public virtual int[]? OwnOutputShape => null;

    /// <summary>Multiply-accumulates per run.</summary>
    public virtual long Macs => 0;

    /// <summary>Parameters for display.</summary>
    public virtual string Details => string.Empty;

    /// <summary>Every main-memory range the layer touches: (start, bytes, what).</summary>
    public abstract IEnumerable<(long Start, long Length, string What)> MainRanges();

    /// <summary>Runs the layer.</summary>
    public abstract void Run(V3Executor executor);

    /// <summary>Copies the layer's output in the dump form.</summary>
    public virtual void ReadOutput(V3Executor executor, Span<byte> destination) =>
        executor.Main.AsSpan((int)OutputStart, OutputBytes).CopyTo(destination);

    /// <summary>Element count of <see cref="OutputBytes"/>.</summary>
    public int OutputElements => OutputType == ElementType.Float32 ? OutputBytes / 4 : OutputBytes;
}
