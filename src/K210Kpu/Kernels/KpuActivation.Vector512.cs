using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>AVX-512 batch-norm + activation: 8 int64 lanes, the segment found by a 4-step binary search over ascending starts.</summary>
internal static partial class KpuActivation
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ApplyVector512(KpuConvPlan plan, long constant, KpuBatchNorm bn, ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, Span<byte> destination)
    {
        int n = acc.Length & ~7;
        ref int a0 = ref MemoryMarshal.GetReference(acc);
        ref long x0 = ref MemoryMarshal.GetReference(xTerm);
        ref byte d0 = ref MemoryMarshal.GetReference(destination);
        (Vector512<long> startLo, Vector512<long> startHi) = Table(plan.SegmentStart);
        (Vector512<long> mulLo, Vector512<long> mulHi) = Table(plan.SegmentMul);
        (Vector512<long> shiftLo, Vector512<long> shiftHi) = Table(plan.SegmentShift);
        (Vector512<long> addLo, Vector512<long> addHi) = Table(plan.SegmentAdd);
        (Vector512<long> maskLo, Vector512<long> maskHi) = Table(plan.SegmentMask);
        (Vector512<long> halfLo, Vector512<long> halfHi) = Table(plan.SegmentHalf);
        Vector512<long> k = Vector512.Create(constant);
        Vector512<long> bnMul = Vector512.Create(bn.Mul);
        Vector512<long> bnAdd = Vector512.Create(bn.Add);
        int bnShift = bn.Shift;
        Vector512<long> one = Vector512<long>.One;
        Vector512<long> max = Vector512.Create(255L);
        for (int i = 0; i < n; i += 8)
        {
            Vector512<long> v = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, (nuint)i)) + Vector512.LoadUnsafe(ref x0, (nuint)i) + k;
            v = Vector512.ShiftRightArithmetic(Avx512DQ.MultiplyLow(v, bnMul), bnShift) + bnAdd;

            // The highest segment whose start is below v (a prefix of the segments, since the starts ascend), else 0.
            Vector512<long> seg = Vector512<long>.Zero;
            seg += Vector512.GreaterThan(v, Avx512F.PermuteVar8x64x2(startLo, seg + Vector512.Create(8L), startHi)) & Vector512.Create(8L);
            seg += Vector512.GreaterThan(v, Avx512F.PermuteVar8x64x2(startLo, seg + Vector512.Create(4L), startHi)) & Vector512.Create(4L);
            seg += Vector512.GreaterThan(v, Avx512F.PermuteVar8x64x2(startLo, seg + Vector512.Create(2L), startHi)) & Vector512.Create(2L);
            seg += Vector512.GreaterThan(v, Avx512F.PermuteVar8x64x2(startLo, seg + one, startHi)) & one;

            Vector512<long> d = Avx512DQ.MultiplyLow(v - Avx512F.PermuteVar8x64x2(startLo, seg, startHi), Avx512F.PermuteVar8x64x2(mulLo, seg, mulHi));
            Vector512<long> shift = Avx512F.PermuteVar8x64x2(shiftLo, seg, shiftHi);
            Vector512<long> integral = Avx512F.ShiftRightArithmeticVariable(d, shift.AsUInt64());
            Vector512<long> fraction = d & Avx512F.PermuteVar8x64x2(maskLo, seg, maskHi);
            Vector512<long> half = Avx512F.PermuteVar8x64x2(halfLo, seg, halfHi);
            Vector512<long> sign = Vector512.ShiftRightArithmetic(d, 63) | one;
            Vector512<long> up = Vector512.GreaterThan(fraction, half) | (Vector512.Equals(fraction, half) & Vector512.Equals(integral & one, one));
            Vector512<long> y = integral + (up & sign) + Avx512F.PermuteVar8x64x2(addLo, seg, addHi);
            y = Vector512.Min(Vector512.Max(y, Vector512<long>.Zero), max);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref d0, i), Avx512F.ConvertToVector128Byte(y).AsUInt64().ToScalar());
        }

        return n;
    }

    private static (Vector512<long> Low, Vector512<long> High) Table(long[] values) =>
        (Vector512.Create(values.AsSpan(0, 8)), Vector512.Create(values.AsSpan(8, 8)));
}
