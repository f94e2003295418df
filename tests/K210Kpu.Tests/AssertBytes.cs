namespace K210Kpu.Tests;

/// <summary>Byte-exact comparisons that report the first differing index and values.</summary>
public static class AssertBytes
{
    public static void Equal(byte[] expected, byte[] actual, string what)
    {
        string? failure = FirstDifference(expected, actual, what);
        Assert.True(failure is null, failure);
    }

    /// <summary>Null when equal, otherwise a message naming the first differing byte (and float32 element when aligned).</summary>
    public static string? FirstDifference(byte[] expected, byte[] actual, string what)
    {
        if (expected.Length != actual.Length)
        {
            return $"{what}: length {actual.Length}, expected {expected.Length}";
        }

        int i = expected.AsSpan().CommonPrefixLength(actual);
        if (i == expected.Length)
        {
            return null;
        }

        int count = 0;
        for (int k = i; k < expected.Length; k++)
        {
            count += expected[k] != actual[k] ? 1 : 0;
        }

        string f32 = string.Empty;
        int e = i / 4 * 4;
        if (e + 4 <= expected.Length)
        {
            f32 = $"; as float32 element {i / 4}: expected {BitConverter.ToSingle(expected, e):G9}, got {BitConverter.ToSingle(actual, e):G9}";
        }

        return $"{what}: first difference at byte {i} (expected {expected[i]}, got {actual[i]}), {count} bytes differ{f32}";
    }
}
