using System.Diagnostics.CodeAnalysis;
using K210Kpu.Hardware;

namespace K210Kpu.Model.V4;

/// <summary>
/// State of one node while its body is parsed: the pools to validate memory ranges against, the body bytes
/// (weights are slices of them), and helpers that turn every impossible value into a <see cref="KModelValidationException"/>
/// naming the node.
/// </summary>
internal sealed class V4LoadContext
{
    /// <summary>Largest element count accepted for one tensor (the K210 has 8 MiB of RAM in total).</summary>
    public const long MaxElements = 1L << 28;

    public V4LoadContext(long constantsSize, long mainSize)
    {
        ConstantsSize = constantsSize;
        MainSize = mainSize;
    }

    public long ConstantsSize { get; }

    public long MainSize { get; }

    /// <summary>Index of the node being read (−1 for the header).</summary>
    public int Index { get; set; } = -1;

    public uint OpCode { get; set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>File offset of the body.</summary>
    public long BodyOffset { get; set; }

    public int BodySize { get; set; }

    /// <summary>The body bytes (zero-padded to <see cref="BodySize"/> when the file ends early).</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>Highest KPU RAM byte used so far.</summary>
    public long KpuEnd { get; private set; }

    /// <summary>Saturating product of non-negative counts (never overflows; huge results fail the size checks).</summary>
    public static long Mul(long a, long b) =>
        a <= 0 || b <= 0 ? 0 : a > (long.MaxValue / 4) / b ? long.MaxValue / 4 : a * b;

    /// <summary>Saturating product of several non-negative counts.</summary>
    public static long Mul(long a, long b, long c, long d = 1, long e = 1) => Mul(Mul(Mul(a, b), Mul(c, d)), e);

    [DoesNotReturn]
    public void Fail(string message) =>
        ThrowHelper.Validation(Index >= 0 ? $"node {Index} ({Name}): {message}" : message, Index, BodyOffset);

    public void TrackKpu(long end) => KpuEnd = Math.Max(KpuEnd, end);

    public V4MemoryRange ReadRange(ref SpanReader r, string what)
    {
        long at = r.FileOffset;
        uint type = r.ReadUInt32(what);
        uint dt = r.ReadUInt32(what);
        uint start = r.ReadUInt32(what);
        uint size = r.ReadUInt32(what);
        if (type > 2)
        {
            ThrowHelper.Validation(Prefix($"{what} has memory type {type} (0 const, 1 main, 2 kpu) at 0x{at:X}"), Index, at);
        }

        if (dt > 1)
        {
            ThrowHelper.Validation(Prefix($"{what} has datatype {dt} (0 float32, 1 uint8) at 0x{at:X}"), Index, at);
        }

        var range = new V4MemoryRange((MemoryKind)type, (ElementType)dt, start, size);
        long pool = range.Memory switch
        {
            MemoryKind.Constant => ConstantsSize,
            MemoryKind.Main => MainSize,
            _ => KpuRam.SizeBytes,
        };
        if (range.End > pool)
        {
            ThrowHelper.Validation(Prefix($"{what} {range} ends at 0x{range.End:X}, beyond its pool of {pool} bytes"), Index, at);
        }

        if (range.Memory == MemoryKind.Kpu && size != 0)
        {
            TrackKpu(range.End);
        }

        return range;
    }

    public V4Shape ReadShape(ref SpanReader r, string what) =>
        new(r.ReadInt32(what), r.ReadInt32(what), r.ReadInt32(what), r.ReadInt32(what));

    public V4Padding ReadPadding(ref SpanReader r, string what) => new(r.ReadInt32(what), r.ReadInt32(what));

    public V4ValueRange ReadValueRange(ref SpanReader r, string what) => new(r.ReadSingle(what), r.ReadSingle(what));

    public V4QuantParam ReadQuantParam(ref SpanReader r, string what) => new(r.ReadInt32(what), r.ReadSingle(what));

    public float[] ReadFloats(ref SpanReader r, long count, string what)
    {
        ReadOnlySpan<byte> raw = ReadRaw(ref r, count, 4, what);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4, 4));
        }

        return values;
    }

    public int[] ReadInts(ref SpanReader r, long count, string what)
    {
        ReadOnlySpan<byte> raw = ReadRaw(ref r, count, 4, what);
        var values = new int[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(raw.Slice(i * 4, 4));
        }

        return values;
    }

    /// <summary>A zero-copy slice of the body of <paramref name="count"/> bytes at the reader's position.</summary>
    public ReadOnlyMemory<byte> ReadMemory(ref SpanReader r, long count, string what)
    {
        int at = r.Position;
        ReadRaw(ref r, count, 1, what);
        return Body.Slice(at, (int)count);
    }

    private ReadOnlySpan<byte> ReadRaw(ref SpanReader r, long count, int elementSize, string what)
    {
        if (count < 0 || count > r.Remaining / elementSize)
        {
            ThrowHelper.Truncated($"{Prefix(what)} ({count} × {elementSize} bytes)", r.FileOffset, Math.Max(0, count) * elementSize, r.BaseOffset + r.Length);
        }

        return r.ReadBytes((int)count * elementSize, what);
    }

    /// <summary>Checks every dimension is ≥ <paramref name="min"/> and the element count is sane; returns the count.</summary>
    public long CheckShape(V4Shape shape, string what, int min = 1)
    {
        for (int i = 0; i < 4; i++)
        {
            if (shape[i] < min)
            {
                Fail($"{what} {shape} has a dimension below {min}");
            }
        }

        long n = shape.Elements;
        if (n > MaxElements)
        {
            Fail($"{what} {shape} has {n} elements, more than any K210 model can hold");
        }

        return n;
    }

    /// <summary>Checks a value lies in [min, max].</summary>
    public int CheckRange(int value, int min, int max, string what)
    {
        if (value < min || value > max)
        {
            Fail($"{what} is {value}, outside {min}..{max}");
        }

        return value;
    }

    /// <summary>Checks <paramref name="range"/> holds at least <paramref name="bytes"/> bytes.</summary>
    public void Need(V4MemoryRange range, long bytes, string what)
    {
        if (bytes > range.Size)
        {
            Fail($"{what} {range} holds {range.Size} bytes but the op accesses {bytes}");
        }
    }

    /// <summary>Checks the op may write <paramref name="range"/> (not the read-only constants) and that it holds <paramref name="bytes"/>.</summary>
    public void NeedOutput(V4MemoryRange range, long bytes, string what)
    {
        if (range.Memory == MemoryKind.Constant && bytes > 0)
        {
            Fail($"{what} {range} is in the read-only constants");
        }

        Need(range, bytes, what);
    }

    /// <summary>Checks the datatype of <paramref name="range"/>.</summary>
    public void NeedType(V4MemoryRange range, ElementType type, string what)
    {
        if (range.DataType != type)
        {
            Fail($"{what} {range} must be {(type == ElementType.Float32 ? "float32" : "uint8")}");
        }
    }

    private string Prefix(string message) => Index >= 0 ? $"node {Index} ({Name}): {message}" : message;
}
