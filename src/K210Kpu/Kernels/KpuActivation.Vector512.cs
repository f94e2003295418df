using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>
/// AVX-512 batch-norm + activation in 8 int64 lanes: the segment found by binary lifting over the ascending, merged
/// starts (<see cref="KpuConvPlan.SegmentCount"/>), its parameters gathered by permutes, and the Banker shift as
/// <c>q + (u ^ m) − m</c> with q the floor quotient, u = ((d &amp; mask) + mask/2 + (q &amp; 1 &amp; mask)) &gt;&gt;&gt; shift the
/// rounding carry (half to even) and m the sign mask: the reference moves negative values by −1, and so does this.
/// </summary>
internal static partial class KpuActivation
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ApplyVector512(KpuConvPlan plan, long constant, KpuBatchNorm bn, ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, Span<byte> destination)
    {
        int n = acc.Length & ~7;
        int segments = plan.SegmentCount;
        int top = segments <= 1 ? 0 : (int)BitOperations.RoundUpToPowerOf2((uint)segments) / 2;
        bool small = segments <= 8;
        ref int a0 = ref MemoryMarshal.GetReference(acc);
        ref long x0 = ref MemoryMarshal.GetReference(xTerm);
        bool folded = xTerm.IsEmpty; // the x term is in the weights
        ref byte d0 = ref MemoryMarshal.GetReference(destination);
        (Vector512<long> startLo, Vector512<long> startHi) = Table(plan.SegmentStart);
        (Vector512<long> mulLo, Vector512<long> mulHi) = Table(plan.SegmentMul);
        (Vector512<long> shiftLo, Vector512<long> shiftHi) = Table(plan.SegmentShift);
        (Vector512<long> addLo, Vector512<long> addHi) = Table(plan.SegmentAdd);
        Vector512<long> k = Vector512.Create(constant);
        Vector512<long> bnMul = Vector512.Create(bn.Mul);
        Vector512<long> bnAdd = Vector512.Create(bn.Add);
        int bnShift = bn.Shift;
        Vector512<long> one = Vector512<long>.One;
        for (int i = 0; i < n; i += 8)
        {
            Vector512<long> v = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, (nuint)i)) + k;
            if (!folded)
            {
                v += Vector512.LoadUnsafe(ref x0, (nuint)i);
            }

            v = Vector512.ShiftRightArithmetic(Avx512DQ.MultiplyLow(v, bnMul), bnShift) + bnAdd;

            // The highest segment whose start is below v (those form a prefix, the starts ascending), else 0.
            Vector512<long> seg = Vector512<long>.Zero;
            for (int step = top; step > 0; step >>= 1)
            {
                Vector512<long> s = Vector512.Create((long)step);
                seg += Vector512.GreaterThan(v, Lookup(startLo, startHi, seg + s, small)) & s;
            }

            Vector512<long> d = Avx512DQ.MultiplyLow(v - Lookup(startLo, startHi, seg, small), Lookup(mulLo, mulHi, seg, small));
            Vector512<ulong> shift = Lookup(shiftLo, shiftHi, seg, small).AsUInt64();
            Vector512<long> q = Avx512F.ShiftRightArithmeticVariable(d, shift);
            Vector512<long> mask = Avx512F.ShiftLeftLogicalVariable(one, shift) - one;
            Vector512<long> t = (d & mask) + (mask >>> 1) + (q & mask & one);
            Vector512<long> u = Avx512F.ShiftRightLogicalVariable(t, shift);
            Vector512<long> m = Vector512.ShiftRightArithmetic(d, 63);
            Vector512<long> y = q + ((u ^ m) - m) + Lookup(addLo, addHi, seg, small);
            y = Vector512.Max(y, Vector512<long>.Zero);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref d0, i), Avx512F.ConvertToVector128ByteWithSaturation(y.AsUInt64()).AsUInt64().ToScalar());
        }

        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> Lookup(Vector512<long> low, Vector512<long> high, Vector512<long> index, bool small) =>
        small ? Avx512F.PermuteVar8x64(low, index) : Avx512F.PermuteVar8x64x2(low, index, high);

    private static (Vector512<long> Low, Vector512<long> High) Table(long[] values) =>
        (Vector512.Create(values.AsSpan(0, 8)), Vector512.Create(values.AsSpan(8, 8)));
}
