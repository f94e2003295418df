using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace K210Kpu.Kernels;

/// <summary>
/// Pooling on pre-norm values (v = Σx·w + xTerm + constant), before batch-norm and activation: what the fast path does
/// when <see cref="KpuConvPlan.PoolsFirst"/> proves it exact.
/// </summary>
internal static partial class KpuPool
{
    /// <summary><c>values[x] = acc[s·x] + xTerm[s·x] + constant</c> (the top-left tap of each window; an empty x term reads as 0).</summary>
    public static void SelectValues(ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, int stride, long constant, Span<long> values)
    {
        int x = 0;
        if (xTerm.IsEmpty && stride == 2 && Avx512F.IsSupported && values.Length >= 8 && acc.Length >= 2 * values.Length)
        {
            // Every other sum of 16, widened: 8 values per step, the last step ending at the last value.
            ref int a0 = ref MemoryMarshal.GetReference(acc);
            ref long d0 = ref MemoryMarshal.GetReference(values);
            Vector512<int> even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 0, 0, 0, 0, 0, 0, 0, 0);
            Vector512<long> k = Vector512.Create(constant);
            for (int end = values.Length; x < end; x += 8)
            {
                int at = Math.Min(x, end - 8);
                Vector512<int> pairs = Vector512.LoadUnsafe(ref a0, (nuint)(2 * at));
                (Avx512F.ConvertToVector512Int64(Avx512F.PermuteVar16x32(pairs, even).GetLower()) + k).StoreUnsafe(ref d0, (nuint)at);
            }
        }

        for (; x < values.Length; x++)
        {
            values[x] = acc[stride * x] + (xTerm.IsEmpty ? 0 : xTerm[stride * x]) + constant;
        }
    }

    /// <summary>
    /// <c>values[x]</c> = the maximum (or, with <paramref name="minimum"/>, the minimum) over the s×s window at column s·x
    /// of <c>acc + xTerm</c> (rows <paramref name="pitch"/> apart; an empty x term reads as 0), plus <paramref name="constant"/>.
    /// </summary>
    public static void WindowValues(ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, int pitch, int stride, long constant, bool minimum, Span<long> values)
    {
        int x = 0;
        if (stride == 2 && Avx512F.IsSupported)
        {
            x = PairWindowValuesVector512(acc, xTerm, pitch, constant, minimum, values);
        }

        for (; x < values.Length; x++)
        {
            long best = acc[stride * x] + (xTerm.IsEmpty ? 0 : xTerm[stride * x]);
            for (int ky = 0; ky < stride; ky++)
            {
                for (int kx = 0; kx < stride; kx++)
                {
                    int i = (ky * pitch) + (stride * x) + kx;
                    long v = acc[i] + (xTerm.IsEmpty ? 0 : xTerm[i]);
                    best = minimum ? Math.Min(best, v) : Math.Max(best, v);
                }
            }

            values[x] = best + constant;
        }
    }

    /// <summary>
    /// Pool 9 (2×2 windows at every column, stride 1) on one output row: <c>values[x]</c> = the maximum (or minimum) of
    /// <c>acc + xTerm</c> over columns x, x + 1 of this row and, unless <paramref name="lastRow"/>, of the next one
    /// (<paramref name="pitch"/> on), plus <paramref name="constant"/>. Taps past the last column or row are left out:
    /// the reference reads 0 there, below every activated value, so they never win.
    /// </summary>
    public static void OverlappingWindowValues(ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, int pitch, bool lastRow, long constant, bool minimum, Span<long> values)
    {
        int width = values.Length;
        int x = 0;
        if (xTerm.IsEmpty && Avx512F.IsSupported && width > 8)
        {
            x = OverlappingWindowValuesVector512(acc, pitch, lastRow, constant, minimum, values);
        }

        for (; x < width; x++)
        {
            long best = Value(acc, xTerm, x);
            if (x + 1 < width)
            {
                best = Best(best, Value(acc, xTerm, x + 1), minimum);
            }

            if (!lastRow)
            {
                best = Best(best, Value(acc, xTerm, pitch + x), minimum);
                if (x + 1 < width)
                {
                    best = Best(best, Value(acc, xTerm, pitch + x + 1), minimum);
                }
            }

            values[x] = best + constant;
        }

        static long Value(ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, int i) => acc[i] + (xTerm.IsEmpty ? 0 : xTerm[i]);

        static long Best(long a, long b, bool minimum) => minimum ? Math.Min(a, b) : Math.Max(a, b);
    }

    /// <summary>
    /// The whole windows of <see cref="OverlappingWindowValues"/> (columns 0 .. width − 2, at least 8) on int32 sums, 16
    /// (or, for narrow rows, 8) at a time, the last step ending at the last whole window; returns how many it did.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int OverlappingWindowValuesVector512(ReadOnlySpan<int> acc, int pitch, bool lastRow, long constant, bool minimum, Span<long> values)
    {
        int whole = values.Length - 1;
        ref int a0 = ref MemoryMarshal.GetReference(acc);
        ref long d0 = ref MemoryMarshal.GetReference(values);
        nuint next = (nuint)pitch;
        Vector512<long> k = Vector512.Create(constant);
        if (whole < 16)
        {
            for (int x = 0; x < whole; x += 8)
            {
                nuint at = (nuint)Math.Min(x, whole - 8);
                Vector256<int> left = Vector256.LoadUnsafe(ref a0, at), right = Vector256.LoadUnsafe(ref a0, at + 1);
                Vector256<int> best = minimum ? Vector256.Min(left, right) : Vector256.Max(left, right);
                if (!lastRow)
                {
                    left = Vector256.LoadUnsafe(ref a0, at + next);
                    right = Vector256.LoadUnsafe(ref a0, at + next + 1);
                    best = minimum ? Vector256.Min(best, Vector256.Min(left, right)) : Vector256.Max(best, Vector256.Max(left, right));
                }

                (Avx512F.ConvertToVector512Int64(best) + k).StoreUnsafe(ref d0, at);
            }

            return whole;
        }

        for (int x = 0; x < whole; x += 16)
        {
            nuint at = (nuint)Math.Min(x, whole - 16);
            Vector512<int> left = Vector512.LoadUnsafe(ref a0, at), right = Vector512.LoadUnsafe(ref a0, at + 1);
            Vector512<int> best = minimum ? Vector512.Min(left, right) : Vector512.Max(left, right);
            if (!lastRow)
            {
                left = Vector512.LoadUnsafe(ref a0, at + next);
                right = Vector512.LoadUnsafe(ref a0, at + next + 1);
                best = minimum ? Vector512.Min(best, Vector512.Min(left, right)) : Vector512.Max(best, Vector512.Max(left, right));
            }

            (Avx512F.ConvertToVector512Int64(best.GetLower()) + k).StoreUnsafe(ref d0, at);
            (Avx512F.ConvertToVector512Int64(best.GetUpper()) + k).StoreUnsafe(ref d0, at + 8);
        }

        return whole;
    }

    /// <summary>
    /// The maxima (or minima) of 16 consecutive 2×2 windows of int32 sums: columns 2x, 2x + 1 of the row at
    /// <paramref name="at"/> and of the row <paramref name="next"/> on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> PairWindows16(ref int a0, nuint at, nuint next, bool minimum)
    {
        Vector512<int> even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        Vector512<int> r0a = Vector512.LoadUnsafe(ref a0, at), r0b = Vector512.LoadUnsafe(ref a0, at + 16);
        Vector512<int> r1a = Vector512.LoadUnsafe(ref a0, at + next), r1b = Vector512.LoadUnsafe(ref a0, at + next + 16);
        Vector512<int> a = minimum ? Vector512.Min(r0a, r1a) : Vector512.Max(r0a, r1a);
        Vector512<int> b = minimum ? Vector512.Min(r0b, r1b) : Vector512.Max(r0b, r1b);
        Vector512<int> ev = Avx512F.PermuteVar16x32x2(a, even, b);
        Vector512<int> od = Avx512F.PermuteVar16x32x2(a, even + Vector512<int>.One, b);
        return minimum ? Vector512.Min(ev, od) : Vector512.Max(ev, od);
    }

    /// <summary>2×2 windows, 8 outputs at a time: vertical max of two rows, then of even and odd columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int PairWindowValuesVector512(ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, int pitch, long constant, bool minimum, Span<long> values)
    {
        int n = values.Length & ~7;
        ref int a0 = ref MemoryMarshal.GetReference(acc);
        ref long x0 = ref MemoryMarshal.GetReference(xTerm);
        ref long d0 = ref MemoryMarshal.GetReference(values);
        nuint next = (nuint)pitch;
        Vector512<long> even = Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14);
        Vector512<long> odd = even + Vector512<long>.One;
        Vector512<long> k = Vector512.Create(constant);
        if (xTerm.IsEmpty)
        {
            // Without an x term the window runs on the int32 sums (16 outputs per step, the last step overlapping the
            // one before it; 8 per step for rows of 8 to 15), widened after the maximum.
            int length = values.Length;
            if (length < 8)
            {
                return 0;
            }

            Vector512<int> even32 = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            Vector512<int> odd32 = even32 + Vector512<int>.One;
            int step = length >= 16 ? 16 : 8;
            for (int x = 0; x < length; x += step)
            {
                int at = Math.Min(x, length - step);
                nuint i = (nuint)(2 * at);
                if (step == 8)
                {
                    Vector512<int> r0a = Vector512.LoadUnsafe(ref a0, i), r1a = Vector512.LoadUnsafe(ref a0, i + next);
                    Vector512<int> a = minimum ? Vector512.Min(r0a, r1a) : Vector512.Max(r0a, r1a);
                    Vector256<int> e8 = Avx512F.PermuteVar16x32(a, even32).GetLower();
                    Vector256<int> o8 = Avx512F.PermuteVar16x32(a, odd32).GetLower();
                    (Avx512F.ConvertToVector512Int64(minimum ? Vector256.Min(e8, o8) : Vector256.Max(e8, o8)) + k).StoreUnsafe(ref d0, (nuint)at);
                    continue;
                }

                Vector512<int> best = PairWindows16(ref a0, i, next, minimum);
                (Avx512F.ConvertToVector512Int64(best.GetLower()) + k).StoreUnsafe(ref d0, (nuint)at);
                (Avx512F.ConvertToVector512Int64(best.GetUpper()) + k).StoreUnsafe(ref d0, (nuint)at + 8);
            }

            return length;
        }

        for (int x = 0; x < n; x += 8)
        {
            nuint i = (nuint)(2 * x);
            Vector512<long> r0a = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, i)) + Vector512.LoadUnsafe(ref x0, i);
            Vector512<long> r0b = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, i + 8)) + Vector512.LoadUnsafe(ref x0, i + 8);
            Vector512<long> r1a = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, i + next)) + Vector512.LoadUnsafe(ref x0, i + next);
            Vector512<long> r1b = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, i + next + 8)) + Vector512.LoadUnsafe(ref x0, i + next + 8);
            Vector512<long> a = minimum ? Vector512.Min(r0a, r1a) : Vector512.Max(r0a, r1a);
            Vector512<long> b = minimum ? Vector512.Min(r0b, r1b) : Vector512.Max(r0b, r1b);
            Vector512<long> e = Avx512F.PermuteVar8x64x2(a, even, b);
            Vector512<long> o = Avx512F.PermuteVar8x64x2(a, odd, b);
            ((minimum ? Vector512.Min(e, o) : Vector512.Max(e, o)) + k).StoreUnsafe(ref d0, (nuint)x);
        }

        return n;
    }
}
