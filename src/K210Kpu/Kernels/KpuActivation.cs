using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>
/// Batch-norm and the 16-segment piecewise-linear activation of the KPU (kpu-and-kmodel-v3 §3.3–3.4), as nncase
/// v0.2.0-beta4's simulator computes them (<c>kernels/k210/k210_kernels.h</c>, <c>kpu_conv2d</c>).
/// </summary>
internal static partial class KpuActivation
{
    /// <summary>Number of activation segments.</summary>
    public const int Segments = 16;

    /// <summary><c>bn = ((acc · norm_mul) &gt;&gt; norm_shift) + norm_add</c>, int64 with an arithmetic (floor) shift.</summary>
    public static long BatchNorm(long acc, in KpuBatchNorm bn) => unchecked(((acc * bn.Mul) >> bn.Shift) + bn.Add);

    /// <summary>
    /// The activation of one batch-normed value: the highest-index segment whose start is strictly below
    /// <paramref name="value"/> (segment 0 when none is), then
    /// <c>clamp(CarryShiftBanker((value − start) · mul, shift) + add, 0, 255)</c>.
    /// </summary>
    public static byte Activate(long value, ReadOnlySpan<KpuActivationSegment> segments)
    {
        int index = 0;
        for (int i = segments.Length - 1; i >= 0; i--)
        {
            if (value > segments[i].StartX)
            {
                index = i;
                break;
            }
        }

        KpuActivationSegment s = segments[index];
        long y = unchecked(FixedPoint.CarryShiftBanker((value - s.StartX) * s.Mul, s.Shift) + s.Add);
        return (byte)Math.Clamp(y, 0, 255);
    }

    /// <summary>Batch-norm then activation of a whole plane: <paramref name="acc"/> → <paramref name="destination"/> (same length).</summary>
    public static void Apply(ReadOnlySpan<long> acc, in KpuBatchNorm bn, ReadOnlySpan<KpuActivationSegment> segments, Span<byte> destination)
    {
        for (int i = 0; i < acc.Length; i++)
        {
            destination[i] = Activate(BatchNorm(acc[i], bn), segments);
        }
    }
}
