namespace K210Kpu;

/// <summary>Element type of a tensor.</summary>
public enum ElementType
{
    /// <summary>IEEE-754 binary32, little-endian.</summary>
    Float32 = 0,

    /// <summary>Unsigned 8-bit (quantized).</summary>
    UInt8 = 1,
}
