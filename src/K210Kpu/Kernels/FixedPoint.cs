namespace K210Kpu.Kernels;

/// <summary>
/// Right shifts with rounding, as the references compute them (kpu-and-kmodel-v3 §3.4, kmodel-v4 §6.5).
/// Both are reproduced literally, including how they treat negative values.
/// </summary>
internal static class FixedPoint
{
    /// <summary>
    /// nncase's <c>carry_shift&lt;int64_t, true&gt;</c> ("Banker"), used by the KPU activation since nncase 0.2:
    /// floor quotient, then +sign when the fraction exceeds one half, and on an exact half only when the quotient is odd.
    /// For negative <paramref name="value"/> the correction moves by −1 (e.g. −1 &gt;&gt; 2 gives −2).
    /// </summary>
    public static long CarryShiftBanker(long value, int shift)
    {
        if (shift <= 0)
        {
            return value;
        }

        long integral = value >> shift;
        ulong fraction = (ulong)value & ((1UL << shift) - 1);
        ulong half = 1UL << (shift - 1);
        long sign = value < 0 ? -1 : 1;
        if (fraction < half)
        {
            return integral;
        }

        if (fraction > half)
        {
            return integral + sign;
        }

        return (integral & 1) != 0 ? integral + sign : integral;
    }

    /// <summary>
    /// The SDK's <c>kpu_carry_shift</c> (also nncase 0.1's <c>CarryShift</c>): <c>u = v &gt;&gt; (s−1)</c>; when u is odd,
    /// <c>(u &gt;&gt; 1) + 1</c> for u ≥ 0 and <c>(u &gt;&gt; 1) − 1</c> for u &lt; 0; otherwise <c>u &gt;&gt; 1</c>.
    /// Used by the V3 QUANTIZED_ADD layer.
    /// </summary>
    public static long CarryShiftSdk(long value, int shift)
    {
        if (shift <= 0)
        {
            return value;
        }

        long u = value >> (shift - 1);
        if ((u & 1) != 0)
        {
            return u < 0 ? (u >> 1) - 1 : (u >> 1) + 1;
        }

        return u >> 1;
    }
}
