using System.Runtime.InteropServices;

namespace K210Kpu.Maix;

/// <summary>
/// One layer's or output's data after a run: MaixPy's <c>kpu_fmap</c>. uint8 maps are planar <c>[Ch][H][W]</c>;
/// float maps are float32 values. Unlike MaixPy's fmap (a view into the task's memory that the next run
/// overwrites and <c>deinit</c> frees), this is a copy that stays valid until it is disposed. Dispose is idempotent;
/// data access after it throws <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class FeatureMap : IDisposable
{
    private byte[]? _data;

    internal FeatureMap(byte[] data, int w, int h, int ch, int index, ElementType elementType)
    {
        _data = data;
        W = w;
        H = h;
        Ch = ch;
        Index = index;
        ElementType = elementType;
        Size = data.Length;
    }

    /// <summary>Width (<c>w()</c>).</summary>
    public int W { get; }

    /// <summary>Height (<c>h()</c>).</summary>
    public int H { get; }

    /// <summary>Channels (<c>ch()</c>).</summary>
    public int Ch { get; }

    /// <summary>Index of the layer that produced the data (<c>index()</c>).</summary>
    public int Index { get; }

    /// <summary>Size in bytes (<c>size()</c>).</summary>
    public int Size { get; }

    /// <summary>Element type: uint8 (MaixPy typecode 'B') or float32 ('f').</summary>
    public ElementType ElementType { get; }

    /// <summary>MaixPy's typecode: 'B' for uint8, 'f' for float32.</summary>
    public char TypeCode => ElementType == ElementType.Float32 ? 'f' : 'B';

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => _data is null;

    /// <summary>The raw bytes; valid until disposal.</summary>
    /// <exception cref="ObjectDisposedException">The map was disposed.</exception>
    public ReadOnlySpan<byte> Bytes => Data;

    /// <summary>The values as float32 (float maps only); valid until disposal.</summary>
    /// <exception cref="InvalidOperationException">The map is uint8.</exception>
    /// <exception cref="ObjectDisposedException">The map was disposed.</exception>
    public ReadOnlySpan<float> Floats
    {
        get
        {
            byte[] d = Data;
            if (ElementType != ElementType.Float32)
            {
                throw new InvalidOperationException("this feature map holds uint8 values; use Bytes");
            }

            return MemoryMarshal.Cast<byte, float>(d.AsSpan(0, d.Length / 4 * 4));
        }
    }

    private byte[] Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_data is null, this);
            return _data;
        }
    }

    /// <summary>Plane <paramref name="channel"/> of a uint8 map (W × H bytes); valid until disposal.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The channel is out of range.</exception>
    /// <exception cref="InvalidOperationException">The map is float32.</exception>
    public ReadOnlySpan<byte> Channel(int channel)
    {
        byte[] d = Data;
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Ch);
        if (ElementType != ElementType.UInt8)
        {
            throw new InvalidOperationException("this feature map holds float32 values; use Floats");
        }

        return d.AsSpan(channel * W * H, W * H);
    }

    /// <summary>A copy of the raw bytes.</summary>
    public byte[] ToArray() => Data.ToArray();

    /// <summary>Releases the data. Idempotent.</summary>
    public void Dispose() => _data = null;

    /// <summary>MaixPy's print form (without the data address).</summary>
    public override string ToString() =>
        $"{{\"fmap\": \"size\"={Size}, \"index\": {Index}, \"w\": {W}, \"h\": {H}, \"ch\": {Ch}, \"typecode\": {TypeCode}}}";
}
