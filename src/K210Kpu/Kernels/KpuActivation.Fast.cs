using System.Runtime.Intrinsics.X86;
using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>The fast path's batch-norm + activation stage (vector form in <c>KpuActivation.Vector512.cs</c>).</summary>
internal static partial class KpuActivation
{
    /// <summary>
    /// Output channel <paramref name="oc"/> of <paramref name="plan"/>: <c>v = acc[i] + xTerm[i] + constant</c> (int64; an empty x term reads as 0),
    /// then <see cref="BatchNorm"/> and <see cref="Activate"/> into <paramref name="destination"/>.
    /// </summary>
    public static void Apply(KpuConvPlan plan, int oc, ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, Span<byte> destination)
    {
        long constant = plan.Constant[oc];
        KpuBatchNorm bn = plan.BatchNorm[oc];
        int i = 0;
        if (plan.SegmentCount > 0 && Avx512F.IsSupported && Avx512DQ.IsSupported)
        {
            i = ApplyVector512(plan, constant, bn, acc, xTerm, destination);
        }

        ReadOnlySpan<KpuActivationSegment> segments = plan.Segments;
        for (; i < acc.Length; i++)
        {
            long x = xTerm.IsEmpty ? 0 : xTerm[i];
            destination[i] = Activate(BatchNorm(unchecked(acc[i] + x + constant), bn), segments);
        }
    }
}
