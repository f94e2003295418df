namespace K210Kpu.Runtime.V3.Ops;

/// <summary>The C library's float helpers with their exact semantics (NaN handling of <c>fmaxf</c>, the SDK's min/max macros).</summary>
internal static class FloatMath
{
    /// <summary><c>fmaxf</c>: the larger value; a NaN operand is ignored.</summary>
    public static float FMax(float a, float b)
    {
        if (float.IsNaN(a))
        {
            return b;
        }

        if (float.IsNaN(b))
        {
            return a;
        }

        return a > b ? a : (b > a ? b : (float.IsNegative(a) ? b : a));
    }

    /// <summary><c>s + a·b</c> rounded twice (reference) or once (device, fused).</summary>
    public static float MulAdd(float a, float b, float s, bool fused) => fused ? MathF.FusedMultiplyAdd(a, b, s) : s + (a * b);

    /// <summary>The SDK's float activation: 0 linear, 1 ReLU <c>max(x, 0)</c>, 2 ReLU6 <c>min(max(x, 0), 6)</c> (C macros: NaN → 0).</summary>
    public static float Activate(float x, uint act)
    {
        if (act == 1)
        {
            return x > 0 ? x : 0f;
        }

        if (act == 2)
        {
            float t = x > 0 ? x : 0f;
            return t < 6f ? t : 6f;
        }

        return x;
    }
}
