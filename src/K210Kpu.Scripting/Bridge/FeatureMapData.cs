namespace K210Kpu.Scripting.Bridge;

/// <summary>The C# side of a script's <c>kpu_fmap</c>: a copy of one output's bytes with its shape.</summary>
public sealed class FeatureMapData
{
    internal FeatureMapData(byte[] bytes, int width, int height, int channels, int index, bool isFloat)
    {
        Bytes = bytes;
        Width = width;
        Height = height;
        Channels = channels;
        Index = index;
        IsFloat = isFloat;
    }

    /// <summary>Raw output bytes: uint8 <c>[C][H][W]</c>, or float32 little-endian.</summary>
    public byte[] Bytes { get; }

    /// <summary>Width (<c>w()</c>).</summary>
    public int Width { get; }

    /// <summary>Height (<c>h()</c>).</summary>
    public int Height { get; }

    /// <summary>Channels (<c>ch()</c>).</summary>
    public int Channels { get; }

    /// <summary>Index of the last layer computed (<c>index()</c>).</summary>
    public int Index { get; }

    /// <summary>Whether elements are float32 (typecode <c>'f'</c>) rather than bytes (<c>'B'</c>).</summary>
    public bool IsFloat { get; }

    /// <summary>The float elements (empty for a byte map).</summary>
    public float[] Floats()
    {
        if (!IsFloat)
        {
            return [];
        }

        float[] f = new float[Bytes.Length / 4];
        Buffer.BlockCopy(Bytes, 0, f, 0, f.Length * 4);
        return f;
    }
}
