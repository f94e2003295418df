using System.Buffers.Binary;

namespace K210Kpu.Model;

/// <summary>
/// Bounds-checked little-endian reader over model bytes. Every failure throws
/// <see cref="KModelFormatException"/> naming what was being read and the byte offset.
/// <see cref="BaseOffset"/> is added to positions in messages, so a reader over a body slice reports file offsets.
/// </summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;

    public SpanReader(ReadOnlySpan<byte> data, long baseOffset = 0)
    {
        _data = data;
        BaseOffset = baseOffset;
        Position = 0;
    }

    public long BaseOffset { get; }

    public int Position { get; set; }

    public readonly int Length => _data.Length;

    public readonly int Remaining => _data.Length - Position;

    public readonly long FileOffset => BaseOffset + Position;

    private readonly void Need(int count, string what)
    {
        if (count < 0 || Position < 0 || (long)Position + count > _data.Length)
        {
            ThrowHelper.Truncated(what, BaseOffset + Position, count, BaseOffset + _data.Length);
        }
    }

    public uint ReadUInt32(string what)
    {
        Need(4, what);
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(Position));
        Position += 4;
        return v;
    }

    public int ReadInt32(string what)
    {
        Need(4, what);
        int v = BinaryPrimitives.ReadInt32LittleEndian(_data.Slice(Position));
        Position += 4;
        return v;
    }

    public ulong ReadUInt64(string what)
    {
        Need(8, what);
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(Position));
        Position += 8;
        return v;
    }

    public float ReadSingle(string what)
    {
        Need(4, what);
        float v = BinaryPrimitives.ReadSingleLittleEndian(_data.Slice(Position));
        Position += 4;
        return v;
    }

    public byte ReadByte(string what)
    {
        Need(1, what);
        return _data[Position++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string what)
    {
        Need(count, what);
        ReadOnlySpan<byte> s = _data.Slice(Position, count);
        Position += count;
        return s;
    }

    public void Skip(long count, string what)
    {
        if (count < 0 || count > int.MaxValue)
        {
            ThrowHelper.Format($"{what}: skip of {count} bytes at 0x{FileOffset:X} is out of range", FileOffset);
        }

        Need((int)count, what);
        Position += (int)count;
    }

    /// <summary>Returns the slice [offset, offset+count) of the whole span, bounds-checked.</summary>
    public readonly ReadOnlySpan<byte> Slice(long offset, long count, string what)
    {
        if (offset < 0 || count < 0 || offset + count > _data.Length)
        {
            ThrowHelper.Truncated(what, BaseOffset + offset, count, BaseOffset + _data.Length);
        }

        return _data.Slice((int)offset, (int)count);
    }
}
