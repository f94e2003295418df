using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace K210Kpu.Kernels;

/// <summary>AVX-512 kernels of the fast KPU convolution (exact: <c>vpmaddwd</c> on zero-extended u8 values).</summary>
internal static partial class KpuConv
{
    /// <summary>Vector part of <see cref="StagePairs"/>; returns how many elements it did.</summary>
    private static int StagePairsVector512(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high, Span<int> destination)
    {
        int length = destination.Length;
        if (length < 16)
        {
            return 0;
        }

        // Whole vectors, then one more ending at the last element (overlapping writes store the same values).
        int n = length & ~15;
        ref byte lo = ref MemoryMarshal.GetReference(low);
        ref byte hi = ref MemoryMarshal.GetReference(high);
        ref int dst = ref MemoryMarshal.GetReference(destination);
        bool hasHigh = !high.IsEmpty;
        for (int x = 0; x < n; x += 16)
        {
            Vector512<int> v = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref lo, (nuint)x));
            if (hasHigh)
            {
                v |= Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref hi, (nuint)x)) << 16;
            }

            v.StoreUnsafe(ref dst, (nuint)x);
        }

        if (n < length)
        {
            nuint last = (nuint)(length - 16);
            Vector512<int> v = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref lo, last));
            if (hasHigh)
            {
                v |= Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref hi, last)) << 16;
            }

            v.StoreUnsafe(ref dst, last);
        }

        return length;
    }

    /// <summary>
    /// Vector part of <see cref="StagePairsStrided"/>: the bytes read as 16-bit (step 2) or 32-bit (step 4) lanes whose
    /// low byte is the selected one; whole vectors, then one ending at the last element. Returns how many it did.
    /// </summary>
    private static int StagePairsStridedVector512(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high, int step, Span<int> destination)
    {
        int length = destination.Length;
        if (length < 16)
        {
            return 0;
        }

        ref byte lo = ref MemoryMarshal.GetReference(low);
        ref byte hi = ref MemoryMarshal.GetReference(high);
        ref int dst = ref MemoryMarshal.GetReference(destination);
        bool hasHigh = !high.IsEmpty;
        for (int x = 0; x < length; x += 16)
        {
            int at = Math.Min(x, length - 16);
            Vector512<int> v = Select(ref lo, at, step);
            if (hasHigh)
            {
                v |= Select(ref hi, at, step) << 16;
            }

            v.StoreUnsafe(ref dst, (nuint)at);
        }

        return length;

        static Vector512<int> Select(ref byte row, int at, int step) => step == 2
            ? Avx512F.ConvertToVector512Int32(Vector256.LoadUnsafe(ref Unsafe.As<byte, ushort>(ref Unsafe.Add(ref row, 2 * at))) & Vector256.Create((ushort)0xFF))
            : (Vector512.LoadUnsafe(ref Unsafe.As<byte, int>(ref Unsafe.Add(ref row, 4 * at))) & Vector512.Create(0xFF));
    }

    private static int SumPairsVector512(int[] staged, int stride, int pairs, int from, int count, int[] sums)
    {
        int n = count & ~15;
        ref int s = ref MemoryMarshal.GetArrayDataReference(staged);
        ref int dst = ref MemoryMarshal.GetArrayDataReference(sums);
        Vector512<short> ones = Vector512<short>.One;
        for (int j = 0; j < n; j += 16)
        {
            Vector512<int> acc = Vector512<int>.Zero;
            nuint at = (nuint)(from + j);
            for (int q = 0; q < pairs; q++)
            {
                acc += Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref s, at + ((nuint)q * (nuint)stride)).AsInt16(), ones);
            }

            acc.StoreUnsafe(ref dst, (nuint)(from + j));
        }

        return n;
    }

    private static int TapSumsToXTermVector512(int[] tapSums, int[] taps, long argX, int shrX, int from, int count, long[] xTerm)
    {
        int n = count & ~15;
        ref int s = ref MemoryMarshal.GetArrayDataReference(tapSums);
        ref long dst = ref MemoryMarshal.GetArrayDataReference(xTerm);
        Vector512<long> mul = Vector512.Create(argX);
        for (int i = 0; i < n; i += 16)
        {
            Vector512<int> sum = Vector512<int>.Zero;
            nuint at = (nuint)(from + i);
            foreach (int t in taps)
            {
                sum += Vector512.LoadUnsafe(ref s, at + (nuint)t);
            }

            Vector512<long> lo = Avx512F.ConvertToVector512Int64(sum.GetLower());
            Vector512<long> hi = Avx512F.ConvertToVector512Int64(sum.GetUpper());
            Vector512.ShiftRightArithmetic(Avx512DQ.MultiplyLow(lo, mul), shrX).StoreUnsafe(ref dst, at);
            Vector512.ShiftRightArithmetic(Avx512DQ.MultiplyLow(hi, mul), shrX).StoreUnsafe(ref dst, at + 8);
        }

        return n;
    }

    private static int SumsToXTermVector512(ReadOnlySpan<int> sums, long argX, int shrX, Span<long> xTerm)
    {
        int n = sums.Length & ~7;
        ref int s = ref MemoryMarshal.GetReference(sums);
        ref long dst = ref MemoryMarshal.GetReference(xTerm);
        Vector512<long> mul = Vector512.Create(argX);
        for (int i = 0; i < n; i += 8)
        {
            Vector512<long> v = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref s, (nuint)i));
            Vector512.ShiftRightArithmetic(Avx512DQ.MultiplyLow(v, mul), shrX).StoreUnsafe(ref dst, (nuint)i);
        }

        return n;
    }

    /// <summary>
    /// Register block: 4 output channels × 4 vectors of 16 positions = 16 int32 accumulators; per input-channel pair and
    /// tap, 4 unaligned loads of pair words, 4 broadcast weight pairs and 16 <c>vpmaddwd</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ConvolveBlockVector512(KpuConvPlan plan, int[] staged, int block, int from, int count, int[] acc, int accStride, int accBase = 0)
    {
        const int C = KpuConvPlan.Channels;
        int[] taps = plan.Taps;
        int tapCount = taps.Length;
        int pairs = plan.Pairs;
        nuint stride = (nuint)plan.Stride;
        ref int tap0 = ref MemoryMarshal.GetArrayDataReference(taps);
        ref int x0 = ref MemoryMarshal.GetArrayDataReference(staged);
        ref int w0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(plan.PackedWeights), block * pairs * tapCount * C);
        ref int out0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(acc), accBase);
        nuint cs = (nuint)accStride;
        int b = 0;
        for (; b + KpuConvPlan.Block <= count; b += KpuConvPlan.Block)
        {
            Vector512<int> a00 = default, a01 = default, a02 = default, a03 = default;
            Vector512<int> a10 = default, a11 = default, a12 = default, a13 = default;
            Vector512<int> a20 = default, a21 = default, a22 = default, a23 = default;
            Vector512<int> a30 = default, a31 = default, a32 = default, a33 = default;
            ref int w = ref w0;
            ref int xq = ref Unsafe.Add(ref x0, from + b);
            for (int q = 0; q < pairs; q++)
            {
                for (int t = 0; t < tapCount; t++)
                {
                    ref int xt = ref Unsafe.Add(ref xq, Unsafe.Add(ref tap0, t));
                    Vector512<short> v0 = Vector512.LoadUnsafe(ref xt).AsInt16();
                    Vector512<short> v1 = Vector512.LoadUnsafe(ref xt, 16).AsInt16();
                    Vector512<short> v2 = Vector512.LoadUnsafe(ref xt, 32).AsInt16();
                    Vector512<short> v3 = Vector512.LoadUnsafe(ref xt, 48).AsInt16();
                    Vector512<short> k = Vector512.Create(w).AsInt16();
                    a00 += Avx512BW.MultiplyAddAdjacent(v0, k);
                    a01 += Avx512BW.MultiplyAddAdjacent(v1, k);
                    a02 += Avx512BW.MultiplyAddAdjacent(v2, k);
                    a03 += Avx512BW.MultiplyAddAdjacent(v3, k);
                    k = Vector512.Create(Unsafe.Add(ref w, 1)).AsInt16();
                    a10 += Avx512BW.MultiplyAddAdjacent(v0, k);
                    a11 += Avx512BW.MultiplyAddAdjacent(v1, k);
                    a12 += Avx512BW.MultiplyAddAdjacent(v2, k);
                    a13 += Avx512BW.MultiplyAddAdjacent(v3, k);
                    k = Vector512.Create(Unsafe.Add(ref w, 2)).AsInt16();
                    a20 += Avx512BW.MultiplyAddAdjacent(v0, k);
                    a21 += Avx512BW.MultiplyAddAdjacent(v1, k);
                    a22 += Avx512BW.MultiplyAddAdjacent(v2, k);
                    a23 += Avx512BW.MultiplyAddAdjacent(v3, k);
                    k = Vector512.Create(Unsafe.Add(ref w, 3)).AsInt16();
                    a30 += Avx512BW.MultiplyAddAdjacent(v0, k);
                    a31 += Avx512BW.MultiplyAddAdjacent(v1, k);
                    a32 += Avx512BW.MultiplyAddAdjacent(v2, k);
                    a33 += Avx512BW.MultiplyAddAdjacent(v3, k);
                    w = ref Unsafe.Add(ref w, C);
                }

                xq = ref Unsafe.Add(ref xq, stride);
            }

            ref int o = ref Unsafe.Add(ref out0, b);
            a00.StoreUnsafe(ref o, 0); a01.StoreUnsafe(ref o, 16); a02.StoreUnsafe(ref o, 32); a03.StoreUnsafe(ref o, 48);
            a10.StoreUnsafe(ref o, cs); a11.StoreUnsafe(ref o, cs + 16); a12.StoreUnsafe(ref o, cs + 32); a13.StoreUnsafe(ref o, cs + 48);
            a20.StoreUnsafe(ref o, 2 * cs); a21.StoreUnsafe(ref o, (2 * cs) + 16); a22.StoreUnsafe(ref o, (2 * cs) + 32); a23.StoreUnsafe(ref o, (2 * cs) + 48);
            a30.StoreUnsafe(ref o, 3 * cs); a31.StoreUnsafe(ref o, (3 * cs) + 16); a32.StoreUnsafe(ref o, (3 * cs) + 32); a33.StoreUnsafe(ref o, (3 * cs) + 48);
        }

        // The last up to 3 vectors of 16 positions, one at a time.
        for (; b < count; b += KpuConvPlan.Granule)
        {
            Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default;
            ref int w = ref w0;
            ref int xq = ref Unsafe.Add(ref x0, from + b);
            for (int q = 0; q < pairs; q++)
            {
                for (int t = 0; t < tapCount; t++)
                {
                    Vector512<short> v = Vector512.LoadUnsafe(ref Unsafe.Add(ref xq, Unsafe.Add(ref tap0, t))).AsInt16();
                    a0 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(w).AsInt16());
                    a1 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref w, 1)).AsInt16());
                    a2 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref w, 2)).AsInt16());
                    a3 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref w, 3)).AsInt16());
                    w = ref Unsafe.Add(ref w, C);
                }

                xq = ref Unsafe.Add(ref xq, stride);
            }

            ref int o = ref Unsafe.Add(ref out0, b);
            a0.StoreUnsafe(ref o, 0);
            a1.StoreUnsafe(ref o, cs);
            a2.StoreUnsafe(ref o, 2 * cs);
            a3.StoreUnsafe(ref o, 3 * cs);
        }
    }

    /// <summary>
    /// 16 output channels (4 blocks) × 1 vector of 16 positions = 16 accumulators: the form for short position ranges
    /// (small maps, single rows, the tail after the 64-position blocks), one load and 16 broadcast weight pairs per
    /// input-channel pair and tap. Positions [from, from + count), count a multiple of 16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ConvolveGroupVector512(KpuConvPlan plan, int[] staged, int firstBlock, int from, int count, int[] acc, int accStride, int accBase)
    {
        const int C = KpuConvPlan.Channels;
        int[] taps = plan.Taps;
        int tapCount = taps.Length;
        int pairs = plan.Pairs;
        nuint stride = (nuint)plan.Stride;
        nint blockWeights = pairs * tapCount * C;
        ref int tap0 = ref MemoryMarshal.GetArrayDataReference(taps);
        ref int x0 = ref MemoryMarshal.GetArrayDataReference(staged);
        ref int w0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(plan.PackedWeights), firstBlock * blockWeights);
        ref int out0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(acc), accBase);
        nuint cs = (nuint)accStride;
        for (int b = 0; b < count; b += KpuConvPlan.Granule)
        {
            Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector512<int> a4 = default, a5 = default, a6 = default, a7 = default;
            Vector512<int> a8 = default, a9 = default, a10 = default, a11 = default;
            Vector512<int> a12 = default, a13 = default, a14 = default, a15 = default;
            ref int wa = ref w0;
            ref int wb = ref Unsafe.Add(ref w0, blockWeights);
            ref int wc = ref Unsafe.Add(ref w0, 2 * blockWeights);
            ref int wd = ref Unsafe.Add(ref w0, 3 * blockWeights);
            ref int xq = ref Unsafe.Add(ref x0, from + b);
            for (int q = 0; q < pairs; q++)
            {
                for (int t = 0; t < tapCount; t++)
                {
                    Vector512<short> v = Vector512.LoadUnsafe(ref Unsafe.Add(ref xq, Unsafe.Add(ref tap0, t))).AsInt16();
                    a0 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(wa).AsInt16());
                    a1 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wa, 1)).AsInt16());
                    a2 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wa, 2)).AsInt16());
                    a3 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wa, 3)).AsInt16());
                    a4 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(wb).AsInt16());
                    a5 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wb, 1)).AsInt16());
                    a6 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wb, 2)).AsInt16());
                    a7 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wb, 3)).AsInt16());
                    a8 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(wc).AsInt16());
                    a9 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wc, 1)).AsInt16());
                    a10 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wc, 2)).AsInt16());
                    a11 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wc, 3)).AsInt16());
                    a12 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(wd).AsInt16());
                    a13 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wd, 1)).AsInt16());
                    a14 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wd, 2)).AsInt16());
                    a15 += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref wd, 3)).AsInt16());
                    wa = ref Unsafe.Add(ref wa, C);
                    wb = ref Unsafe.Add(ref wb, C);
                    wc = ref Unsafe.Add(ref wc, C);
                    wd = ref Unsafe.Add(ref wd, C);
                }

                xq = ref Unsafe.Add(ref xq, stride);
            }

            ref int o = ref Unsafe.Add(ref out0, b);
            a0.StoreUnsafe(ref o, 0); a1.StoreUnsafe(ref o, cs); a2.StoreUnsafe(ref o, 2 * cs); a3.StoreUnsafe(ref o, 3 * cs);
            a4.StoreUnsafe(ref o, 4 * cs); a5.StoreUnsafe(ref o, 5 * cs); a6.StoreUnsafe(ref o, 6 * cs); a7.StoreUnsafe(ref o, 7 * cs);
            a8.StoreUnsafe(ref o, 8 * cs); a9.StoreUnsafe(ref o, 9 * cs); a10.StoreUnsafe(ref o, 10 * cs); a11.StoreUnsafe(ref o, 11 * cs);
            a12.StoreUnsafe(ref o, 12 * cs); a13.StoreUnsafe(ref o, 13 * cs); a14.StoreUnsafe(ref o, 14 * cs); a15.StoreUnsafe(ref o, 15 * cs);
        }
    }

    /// <summary>Depthwise: per tap pair one <c>vpmaddwd</c> for Σx·w and one for Σx, 4 vectors of 16 positions at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ConvolveDepthwiseBlockVector512(KpuConvPlan plan, int[] words, int channel, int from, int count, int[] acc, int[] sums)
    {
        int[] offsets = plan.DepthwiseOffsets;
        int tapPairs = offsets.Length;
        ref int off0 = ref MemoryMarshal.GetArrayDataReference(offsets);
        ref int w0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(plan.DepthwiseWeights), channel * tapPairs);
        ref int ones0 = ref MemoryMarshal.GetArrayDataReference(plan.DepthwiseOnes);
        ref int x0 = ref MemoryMarshal.GetArrayDataReference(words);
        ref int acc0 = ref MemoryMarshal.GetArrayDataReference(acc);
        ref int sums0 = ref MemoryMarshal.GetArrayDataReference(sums);
        int b = 0;
        for (; b + KpuConvPlan.Block <= count; b += KpuConvPlan.Block)
        {
            Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector512<int> s0 = default, s1 = default, s2 = default, s3 = default;
            ref int xb = ref Unsafe.Add(ref x0, from + b);
            for (int t = 0; t < tapPairs; t++)
            {
                ref int xt = ref Unsafe.Add(ref xb, Unsafe.Add(ref off0, t));
                Vector512<short> v0 = Vector512.LoadUnsafe(ref xt).AsInt16();
                Vector512<short> v1 = Vector512.LoadUnsafe(ref xt, 16).AsInt16();
                Vector512<short> v2 = Vector512.LoadUnsafe(ref xt, 32).AsInt16();
                Vector512<short> v3 = Vector512.LoadUnsafe(ref xt, 48).AsInt16();
                Vector512<short> k = Vector512.Create(Unsafe.Add(ref w0, t)).AsInt16();
                Vector512<short> one = Vector512.Create(Unsafe.Add(ref ones0, t)).AsInt16();
                a0 += Avx512BW.MultiplyAddAdjacent(v0, k);
                a1 += Avx512BW.MultiplyAddAdjacent(v1, k);
                a2 += Avx512BW.MultiplyAddAdjacent(v2, k);
                a3 += Avx512BW.MultiplyAddAdjacent(v3, k);
                s0 += Avx512BW.MultiplyAddAdjacent(v0, one);
                s1 += Avx512BW.MultiplyAddAdjacent(v1, one);
                s2 += Avx512BW.MultiplyAddAdjacent(v2, one);
                s3 += Avx512BW.MultiplyAddAdjacent(v3, one);
            }

            ref int o = ref Unsafe.Add(ref acc0, b);
            a0.StoreUnsafe(ref o, 0); a1.StoreUnsafe(ref o, 16); a2.StoreUnsafe(ref o, 32); a3.StoreUnsafe(ref o, 48);
            ref int so = ref Unsafe.Add(ref sums0, b);
            s0.StoreUnsafe(ref so, 0); s1.StoreUnsafe(ref so, 16); s2.StoreUnsafe(ref so, 32); s3.StoreUnsafe(ref so, 48);
        }

        for (; b < count; b += KpuConvPlan.Granule)
        {
            Vector512<int> a = default, s = default;
            ref int xb = ref Unsafe.Add(ref x0, from + b);
            for (int t = 0; t < tapPairs; t++)
            {
                Vector512<short> v = Vector512.LoadUnsafe(ref Unsafe.Add(ref xb, Unsafe.Add(ref off0, t))).AsInt16();
                a += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref w0, t)).AsInt16());
                s += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref ones0, t)).AsInt16());
            }

            a.StoreUnsafe(ref Unsafe.Add(ref acc0, b));
            s.StoreUnsafe(ref Unsafe.Add(ref sums0, b));
        }
    }

    /// <summary>
    /// Depthwise channel <paramref name="channel"/> convolved and activated in one pass at positions [from, from + count)
    /// (a multiple of 16) into <paramref name="destination"/>[i − from]: per 16 positions Σx·w and Σx by <c>vpmaddwd</c>,
    /// then v = Σx·w + floor(Σx·arg_x·2^-shr_x) + constant in double lanes and the channel's program. Exact: arg_x is
    /// below 2^31 (<see cref="KpuChannelProgram.Analyze"/>) and Σx below 2^13, so every term is an integer below 2^53
    /// and the scaling by 2^-shr_x is exact, as is floor (the reference's arithmetic shift).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void DepthwiseActivateVector512(KpuConvPlan plan, int[] words, int channel, KpuChannelProgram program, int from, int count, Span<byte> destination)
    {
        int[] offsets = plan.DepthwiseOffsets;
        int tapPairs = offsets.Length;
        ref int off0 = ref MemoryMarshal.GetArrayDataReference(offsets);
        ref int w0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(plan.DepthwiseWeights), channel * tapPairs);
        ref int ones0 = ref MemoryMarshal.GetArrayDataReference(plan.DepthwiseOnes);
        ref int x0 = ref MemoryMarshal.GetArrayDataReference(words);
        ref byte d0 = ref MemoryMarshal.GetReference(destination);
        ref readonly KpuActivation.ProgramVectors e = ref program.Vectors;
        Vector512<double> scale = Vector512.Create(Math.ScaleB((double)plan.ArgX, -plan.ShrX));
        Vector512<double> constant = Vector512.Create((double)program.Constant);
        if (plan.FoldsXTerm && tapPairs == 6)
        {
            if (program.Fused)
            {
                Depthwise3x3Folded<KpuActivation.FusedForm>(plan, words, channel, program, from, count, destination);
            }
            else if (program.SearchInt32 && program.Count > 1)
            {
                Depthwise3x3Folded<KpuActivation.SearchForm>(plan, words, channel, program, from, count, destination);
            }
            else
            {
                Depthwise3x3Folded<KpuActivation.AnyForm>(plan, words, channel, program, from, count, destination);
            }

            return;
        }

        if (plan.FoldsXTerm)
        {
            // The x term is in the weights: Σx·(w + z) is v − constant already.
            for (int b = 0; b < count; b += KpuConvPlan.Granule)
            {
                Vector512<int> a = default;
                ref int xb = ref Unsafe.Add(ref x0, from + b);
                for (int t = 0; t < tapPairs; t++)
                {
                    a += Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref Unsafe.Add(ref xb, Unsafe.Add(ref off0, t))).AsInt16(), Vector512.Create(Unsafe.Add(ref w0, t)).AsInt16());
                }

                e.Evaluate16(Avx512F.ConvertToVector512Double(a.GetLower()) + constant, Avx512F.ConvertToVector512Double(a.GetUpper()) + constant).StoreUnsafe(ref d0, (nuint)b);
            }

            return;
        }

        for (int b = 0; b < count; b += KpuConvPlan.Granule)
        {
            Vector512<int> a = default, s = default;
            ref int xb = ref Unsafe.Add(ref x0, from + b);
            for (int t = 0; t < tapPairs; t++)
            {
                Vector512<short> v = Vector512.LoadUnsafe(ref Unsafe.Add(ref xb, Unsafe.Add(ref off0, t))).AsInt16();
                a += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref w0, t)).AsInt16());
                s += Avx512BW.MultiplyAddAdjacent(v, Vector512.Create(Unsafe.Add(ref ones0, t)).AsInt16());
            }

            Vector512<double> low = Avx512F.ConvertToVector512Double(a.GetLower()) + constant +
                Avx512F.RoundScale(Avx512F.ConvertToVector512Double(s.GetLower()) * scale, 0x09);
            Vector512<double> high = Avx512F.ConvertToVector512Double(a.GetUpper()) + constant +
                Avx512F.RoundScale(Avx512F.ConvertToVector512Double(s.GetUpper()) * scale, 0x09);
            e.Evaluate16(low, high).StoreUnsafe(ref d0, (nuint)b);
        }
    }

    /// <summary>
    /// <see cref="DepthwiseActivateVector512"/> for a 3×3 channel whose x term is in the weights: the six tap-pair weights
    /// in registers, the taps unrolled, the program's form fixed by <typeparamref name="TForm"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Depthwise3x3Folded<TForm>(KpuConvPlan plan, int[] words, int channel, KpuChannelProgram program, int from, int count, Span<byte> destination)
        where TForm : struct, KpuActivation.IProgramForm
    {
        ref int w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(plan.DepthwiseWeights), channel * 6);
        Vector512<short> k0 = Vector512.Create(w).AsInt16();
        Vector512<short> k1 = Vector512.Create(Unsafe.Add(ref w, 1)).AsInt16();
        Vector512<short> k2 = Vector512.Create(Unsafe.Add(ref w, 2)).AsInt16();
        Vector512<short> k3 = Vector512.Create(Unsafe.Add(ref w, 3)).AsInt16();
        Vector512<short> k4 = Vector512.Create(Unsafe.Add(ref w, 4)).AsInt16();
        Vector512<short> k5 = Vector512.Create(Unsafe.Add(ref w, 5)).AsInt16();
        nuint row = (nuint)plan.Pitch; // tap pairs at 0, 2, P, P + 2, 2P, 2P + 2 (see KpuConvPlan.DepthwiseOffsets)
        ref int x0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(words), from);
        ref byte d0 = ref MemoryMarshal.GetReference(destination);
        ref readonly KpuActivation.ProgramVectors e = ref program.Vectors;
        Vector512<double> constant = Vector512.Create((double)program.Constant);
        for (int b = 0; b < count; b += KpuConvPlan.Granule)
        {
            ref int x = ref Unsafe.Add(ref x0, b);
            Vector512<int> top = Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref x).AsInt16(), k0) +
                Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref x, 2).AsInt16(), k1);
            Vector512<int> middle = Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref x, row).AsInt16(), k2) +
                Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref x, row + 2).AsInt16(), k3);
            Vector512<int> bottom = Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref x, 2 * row).AsInt16(), k4) +
                Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref x, (2 * row) + 2).AsInt16(), k5);
            Vector512<int> a = top + middle + bottom;
            TForm.Evaluate(in e, Avx512F.ConvertToVector512Double(a.GetLower()) + constant, Avx512F.ConvertToVector512Double(a.GetUpper()) + constant)
                .StoreUnsafe(ref d0, (nuint)b);
        }
    }
}
