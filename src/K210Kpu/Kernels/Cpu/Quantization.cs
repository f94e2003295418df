namespace K210Kpu.Kernels.Cpu;

/// <summary>
/// nncase 0.2 <c>quantize</c> / <c>dequantize</c> (<c>kernels/neutral/neutral_kernels.h</c>, and the <c>__riscv</c> paths of
/// <c>kernels/riscv/neutral_kernels.h</c> for <see cref="ArithmeticMode.Device"/>). The V4 scale is inverted:
/// q = x·scale + zero_point, x = (q − zero_point) / scale.
/// </summary>
internal static class Quantization
{
    /// <summary>
    /// Reference: <c>out = (float)(q − zp) · (1 / scale)</c>. Device: <c>s = 1 / scale; z = (float)(−zp) · s; out = q · s + z</c>,
    /// with the multiply-add fused as the firmware's compiler contracts it.
    /// </summary>
    public static void Dequantize(ReadOnlySpan<byte> input, Span<float> output, int zeroPoint, float scale, bool device)
    {
        if (!device)
        {
            float div = 1f / scale;
            for (int i = 0; i < input.Length; i++)
            {
                output[i] = (input[i] - zeroPoint) * div;
            }
        }
        else
        {
            float s = 1f / scale;
            float z = -zeroPoint * s;
            for (int i = 0; i < input.Length; i++)
            {
                output[i] = MathF.FusedMultiplyAdd(input[i], s, z);
            }
        }
    }

    /// <summary>
    /// Reference: <c>clamp((int32)roundf(x · scale + zp), 0, 255)</c>, ties away from zero, with the x86 conversion
    /// (NaN or out of int32 range gives INT32_MIN, hence 0). Device: pairs round ties to even (<c>fcvt.w.s …, rne</c>,
    /// saturating); an odd last element still uses <c>roundf</c>; the multiply-add is fused.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> input, Span<byte> output, int zeroPoint, float scale, bool device)
    {
        float zp = zeroPoint;
        if (!device)
        {
            for (int i = 0; i < input.Length; i++)
            {
                float r = MathF.Round((input[i] * scale) + zp, MidpointRounding.AwayFromZero);
                output[i] = NeutralMath.ClampToByte(X86Truncate(r));
            }
        }
        else
        {
            int pairs = input.Length / 2 * 2;
            for (int i = 0; i < pairs; i++)
            {
                float v = MathF.FusedMultiplyAdd(input[i], scale, zp);
                output[i] = NeutralMath.ClampToByte(SaturatingTruncate(MathF.Round(v, MidpointRounding.ToEven)));
            }

            if (pairs < input.Length)
            {
                // The odd trailing element goes through roundf (ties away from zero) in riscv_quantize.
                float v = MathF.FusedMultiplyAdd(input[pairs], scale, zp);
                output[pairs] = NeutralMath.ClampToByte(SaturatingTruncate(MathF.Round(v, MidpointRounding.AwayFromZero)));
            }
        }
    }

    /// <summary>cvttss2si: truncation, with NaN and out-of-range values giving INT32_MIN.</summary>
    private static int X86Truncate(float v) => v >= -2147483648f && v < 2147483648f ? (int)v : int.MinValue;

    /// <summary>RISC-V fcvt.w.s: truncation saturating to the int32 range, NaN giving INT32_MAX.</summary>
    private static int SaturatingTruncate(float v) =>
        float.IsNaN(v) ? int.MaxValue : v >= 2147483648f ? int.MaxValue : v < -2147483648f ? int.MinValue : (int)v;
}
