using System.Runtime.CompilerServices;

namespace K210Kpu.Kernels.Cpu;

/// <summary>
/// Scalar helpers shared by the nncase 0.2 CPU kernels (nncase v0.2.0-beta4 <c>kernels/kernel_utils.h</c> and
/// <c>runtime/runtime_op_utility.h</c>): window arithmetic, the non-banker <c>carry_shift</c>, <c>std::min/max/clamp</c>.
/// </summary>
internal static class NeutralMath
{
    /// <summary><c>get_windowed_output_size</c>: (size + before + after − ((filter − 1)·dilation + 1) + stride) / stride, C division.</summary>
    public static int WindowedOutputSize(int size, int filter, int stride, int dilation, int padBefore, int padAfter)
    {
        int effective = ((filter - 1) * dilation) + 1;
        return (size + padBefore + padAfter - effective + stride) / stride;
    }

    /// <summary>First filter tap inside the input for a window starting at <paramref name="origin"/>: max(0, (−origin + d − 1) / d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FilterStart(int origin, int dilation) => Math.Max(0, (-origin + dilation - 1) / dilation);

    /// <summary>One past the last filter tap inside the input: min(filter, (size − origin + d − 1) / d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FilterEnd(int origin, int size, int filter, int dilation) => Math.Min(filter, (size - origin + dilation - 1) / dilation);

    /// <summary>
    /// <c>mul_and_carry_shift</c>: <c>carry_shift&lt;int64&gt;((int64)value · mul, (uint8)shift)</c> truncated to int32.
    /// The shift is an int32 in the bodies but a uint8 parameter, hence the mask. Rounds half up (toward +∞).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MulAndCarryShift(int value, int mul, int shift)
    {
        long v = (long)value * mul;
        int s = shift & 0xFF;
        if (s > 0)
        {
            // x86 masks 64-bit shift counts to 6 bits, as C# does: the reference's behaviour for shifts ≥ 64.
            v += 1L << (s - 1);
            v >>= s;
        }

        return unchecked((int)v);
    }

    /// <summary><c>std::clamp(v, 0, 255)</c> as a byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ClampToByte(int v) => (byte)(v < 0 ? 0 : v > 255 ? 255 : v);

    /// <summary><c>std::min(a, b)</c>: <c>b &lt; a ? b : a</c> (keeps <paramref name="a"/> when either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float a, float b) => b < a ? b : a;

    /// <summary><c>std::max(a, b)</c>: <c>a &lt; b ? b : a</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b) => a < b ? b : a;

    /// <summary><c>std::clamp(v, lo, hi)</c>: <c>v &lt; lo ? lo : hi &lt; v ? hi : v</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Clamp(float v, float lo, float hi) => v < lo ? lo : hi < v ? hi : v;

    /// <summary>A multiply-add: separately rounded (<paramref name="fused"/> false, the simulator) or fused (the device compiler's contraction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MulAdd(float a, float b, float c, bool fused) => fused ? MathF.FusedMultiplyAdd(a, b, c) : (a * b) + c;
}
