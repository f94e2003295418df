using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>
/// Batch-norm + activation through a channel's <see cref="KpuChannelProgram"/>: 8 double lanes, floor and
/// round-half-to-even by <c>vrndscalepd</c>, the segment (when more than one is reachable) by binary lifting over the
/// program's starts. Only for values the convolution produced (the program's proven range).
/// </summary>
internal static partial class KpuActivation
{
    /// <summary>True when <see cref="ApplyProgram"/> and <see cref="ApplyProgramValues"/> have a vector form on this machine.</summary>
    public static bool ProgramVectorized => Avx512F.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported;

    /// <summary>One channel: <c>v = acc[i] + xTerm[i] + constant</c> (an empty x term reads as 0), then batch-norm and activation.</summary>
    public static void ApplyProgram(KpuChannelProgram program, ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, Span<byte> destination)
    {
        int i = 0;
        if (ProgramVectorized)
        {
            i = ApplyProgramVector512(program, acc, xTerm, destination);
        }

        for (; i < acc.Length; i++)
        {
            long x = xTerm.IsEmpty ? 0 : xTerm[i];
            destination[i] = Activate(BatchNorm(unchecked(acc[i] + x + program.Constant), program.BatchNorm), program.Segments);
        }
    }

    /// <summary>One channel on pre-norm values <paramref name="values"/> (constant included).</summary>
    public static void ApplyProgramValues(KpuChannelProgram program, ReadOnlySpan<long> values, Span<byte> destination)
    {
        int i = 0;
        if (ProgramVectorized)
        {
            i = ApplyProgramValuesVector512(program, values, destination);
        }

        for (; i < values.Length; i++)
        {
            destination[i] = Activate(BatchNorm(values[i], program.BatchNorm), program.Segments);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ApplyProgramVector512(KpuChannelProgram p, ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, Span<byte> destination)
    {
        int n = acc.Length & ~15;
        ref int a0 = ref MemoryMarshal.GetReference(acc);
        ref long x0 = ref MemoryMarshal.GetReference(xTerm);
        ref byte d0 = ref MemoryMarshal.GetReference(destination);
        ref readonly ProgramVectors e = ref p.Vectors;
        if (xTerm.IsEmpty)
        {
            return ApplyProgramFoldedVector512(p, acc, destination);
        }

        Vector512<long> k = Vector512.Create(p.Constant);
        int i = 0;
        if (p.Fused)
        {
            // 16 values per step, one 16-byte store.
            for (; i + 16 <= n; i += 16)
            {
                Vector512<long> lo = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, (nuint)i)) + Vector512.LoadUnsafe(ref x0, (nuint)i) + k;
                Vector512<long> hi = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, (nuint)i + 8)) + Vector512.LoadUnsafe(ref x0, (nuint)i + 8) + k;
                e.EvaluateFused(lo, hi).StoreUnsafe(ref d0, (nuint)i);
            }
        }
        else if (p.SearchInt32 && p.Count > 1)
        {
            for (; i + 16 <= n; i += 16)
            {
                Vector512<long> lo = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, (nuint)i)) + Vector512.LoadUnsafe(ref x0, (nuint)i) + k;
                Vector512<long> hi = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, (nuint)i + 8)) + Vector512.LoadUnsafe(ref x0, (nuint)i + 8) + k;
                e.EvaluateSearch16(lo, hi).StoreUnsafe(ref d0, (nuint)i);
            }
        }

        // The last up to 7 values as one more step of 8 ending at the last value (the overlap is written twice, the same).
        for (int end = acc.Length; i < end && end >= 8; i += 8)
        {
            int at = Math.Min(i, end - 8);
            Vector512<long> v = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref a0, (nuint)at)) + Vector512.LoadUnsafe(ref x0, (nuint)at) + k;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref d0, at), e.Evaluate(v));
        }

        return acc.Length >= 8 ? acc.Length : 0;
    }

    /// <summary><see cref="ApplyProgramVector512"/> without an x term: v = acc + constant, in double lanes (exact integers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ApplyProgramFoldedVector512(KpuChannelProgram p, ReadOnlySpan<int> acc, Span<byte> destination)
    {
        if (p.Fused)
        {
            return ApplyProgramFoldedVector512<FusedForm>(p, acc, destination);
        }

        return p.SearchInt32 && p.Count > 1
            ? ApplyProgramFoldedVector512<SearchForm>(p, acc, destination)
            : ApplyProgramFoldedVector512<AnyForm>(p, acc, destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ApplyProgramFoldedVector512<TForm>(KpuChannelProgram p, ReadOnlySpan<int> acc, Span<byte> destination)
        where TForm : struct, IProgramForm
    {
        int n = acc.Length & ~15;
        ref int a0 = ref MemoryMarshal.GetReference(acc);
        ref byte d0 = ref MemoryMarshal.GetReference(destination);
        ref readonly ProgramVectors e = ref p.Vectors;
        Vector512<double> k = Vector512.Create((double)p.Constant);
        for (int i = 0; i < n; i += 16)
        {
            Vector512<int> a = Vector512.LoadUnsafe(ref a0, (nuint)i);
            TForm.Evaluate(in e, Avx512F.ConvertToVector512Double(a.GetLower()) + k, Avx512F.ConvertToVector512Double(a.GetUpper()) + k).StoreUnsafe(ref d0, (nuint)i);
        }

        // The last up to 15 values in steps of 8, the last one ending at the last value (overlaps are written twice, the same).
        for (int i = n, end = acc.Length; i < end && end >= 8; i += 8)
        {
            int at = Math.Min(i, end - 8);
            Vector512<double> v = Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref a0, (nuint)at)) + k;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref d0, at), e.Evaluate(v));
        }

        return acc.Length >= 8 ? acc.Length : 0;
    }

    /// <summary>True when <see cref="ApplyPairWindows"/> runs on this machine.</summary>
    public static bool PairWindowsVectorized => ProgramVectorized && Avx512BW.IsSupported;

    /// <summary>
    /// One output row of a 2×2 max pool (stride 2) over a monotone channel whose x term is folded: for every x,
    /// the maximum (or, for a decreasing program, the minimum) of the four int32 sums of the window at column 2x of this
    /// row and the next (<paramref name="pitch"/> on), plus the constant, then the program; at least 16 outputs.
    /// </summary>
    public static void ApplyPairWindows(KpuChannelProgram program, ReadOnlySpan<int> acc, int pitch, Span<byte> destination)
    {
        if (!PairWindowsVectorized || destination.Length < 16 || acc.Length < pitch + (2 * destination.Length))
        {
            throw new ArgumentException("pair windows need AVX-512, 16 outputs and two whole rows of sums");
        }

        if (program.Fused)
        {
            ApplyPairWindowsVector512<FusedForm>(program, acc, pitch, destination);
        }
        else if (program.SearchInt32 && program.Count > 1)
        {
            ApplyPairWindowsVector512<SearchForm>(program, acc, pitch, destination);
        }
        else
        {
            ApplyPairWindowsVector512<AnyForm>(program, acc, pitch, destination);
        }
    }

    /// <summary>
    /// One output row of a stride-2 select pool over a channel whose x term is folded: the sums at even columns plus the
    /// constant, then the program; at least 16 outputs.
    /// </summary>
    public static void ApplySelect(KpuChannelProgram program, ReadOnlySpan<int> acc, Span<byte> destination)
    {
        if (!PairWindowsVectorized || destination.Length < 16 || acc.Length < 2 * destination.Length)
        {
            throw new ArgumentException("select rows need AVX-512, 16 outputs and a whole row of sums");
        }

        if (program.Fused)
        {
            ApplySelectVector512<FusedForm>(program, acc, destination);
        }
        else if (program.SearchInt32 && program.Count > 1)
        {
            ApplySelectVector512<SearchForm>(program, acc, destination);
        }
        else
        {
            ApplySelectVector512<AnyForm>(program, acc, destination);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplySelectVector512<TForm>(KpuChannelProgram p, ReadOnlySpan<int> acc, Span<byte> destination)
        where TForm : struct, IProgramForm
    {
        ref int a0 = ref MemoryMarshal.GetReference(acc);
        ref byte d0 = ref MemoryMarshal.GetReference(destination);
        ref readonly ProgramVectors e = ref p.Vectors;
        Vector512<double> k = Vector512.Create((double)p.Constant);
        Vector512<int> even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        int width = destination.Length;
        for (int x = 0; x < width; x += 16)
        {
            int at = Math.Min(x, width - 16); // the last step ends at the last output (overlaps are written twice, the same)
            nuint i = (nuint)(2 * at);
            Vector512<int> v = Avx512F.PermuteVar16x32x2(Vector512.LoadUnsafe(ref a0, i), even, Vector512.LoadUnsafe(ref a0, i + 16));
            TForm.Evaluate(in e, Avx512F.ConvertToVector512Double(v.GetLower()) + k, Avx512F.ConvertToVector512Double(v.GetUpper()) + k)
                .StoreUnsafe(ref d0, (nuint)at);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyPairWindowsVector512<TForm>(KpuChannelProgram p, ReadOnlySpan<int> acc, int pitch, Span<byte> destination)
        where TForm : struct, IProgramForm
    {
        ref int a0 = ref MemoryMarshal.GetReference(acc);
        ref byte d0 = ref MemoryMarshal.GetReference(destination);
        ref readonly ProgramVectors e = ref p.Vectors;
        Vector512<double> k = Vector512.Create((double)p.Constant);
        nuint next = (nuint)pitch;
        bool minimum = p.Monotone < 0;
        int width = destination.Length;
        for (int x = 0; x < width; x += 16)
        {
            int at = Math.Min(x, width - 16); // the last step ends at the last output (overlaps are written twice, the same)
            Vector512<int> best = KpuPool.PairWindows16(ref a0, (nuint)(2 * at), next, minimum);
            TForm.Evaluate(in e, Avx512F.ConvertToVector512Double(best.GetLower()) + k, Avx512F.ConvertToVector512Double(best.GetUpper()) + k)
                .StoreUnsafe(ref d0, (nuint)at);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ApplyProgramValuesVector512(KpuChannelProgram p, ReadOnlySpan<long> values, Span<byte> destination)
    {
        int n = values.Length & ~7;
        ref long v0 = ref MemoryMarshal.GetReference(values);
        ref byte d0 = ref MemoryMarshal.GetReference(destination);
        ref readonly ProgramVectors e = ref p.Vectors;
        int i = 0;
        if (p.Fused)
        {
            for (; i + 16 <= n; i += 16)
            {
                e.EvaluateFused(Vector512.LoadUnsafe(ref v0, (nuint)i), Vector512.LoadUnsafe(ref v0, (nuint)i + 8)).StoreUnsafe(ref d0, (nuint)i);
            }
        }
        else if (p.SearchInt32 && p.Count > 1)
        {
            for (; i + 16 <= n; i += 16)
            {
                e.EvaluateSearch16(Vector512.LoadUnsafe(ref v0, (nuint)i), Vector512.LoadUnsafe(ref v0, (nuint)i + 8)).StoreUnsafe(ref d0, (nuint)i);
            }
        }

        // Steps of 8, the last one ending at the last value (overlaps are written twice, the same).
        for (int end = values.Length; i < end && end >= 8; i += 8)
        {
            int at = Math.Min(i, end - 8);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref d0, at), e.Evaluate(Vector512.LoadUnsafe(ref v0, (nuint)at)));
        }

        return values.Length >= 8 ? values.Length : 0;
    }

    /// <summary>One of a program's forms, chosen once per channel so that kernels specialize on it (no branch per step).</summary>
    internal interface IProgramForm
    {
        /// <summary>16 pre-norm values in double lanes (exact integers) → 16 output bytes.</summary>
        static abstract Vector128<byte> Evaluate(in ProgramVectors e, Vector512<double> low, Vector512<double> high);
    }

    /// <summary>The fused one formula (<see cref="KpuChannelProgram.Fused"/>).</summary>
    internal readonly struct FusedForm : IProgramForm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Evaluate(in ProgramVectors e, Vector512<double> low, Vector512<double> high) => e.EvaluateFused(low, high);
    }

    /// <summary>The segment search on int32 lanes (<see cref="KpuChannelProgram.SearchInt32"/>, more than one segment).</summary>
    internal readonly struct SearchForm : IProgramForm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Evaluate(in ProgramVectors e, Vector512<double> low, Vector512<double> high) => e.EvaluateSearch16(low, high);
    }

    /// <summary>Whichever form the program has (<see cref="ProgramVectors.Evaluate16"/>).</summary>
    internal readonly struct AnyForm : IProgramForm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Evaluate(in ProgramVectors e, Vector512<double> low, Vector512<double> high) => e.Evaluate16(low, high);
    }

    /// <summary>A program's tables in registers.</summary>
    internal readonly struct ProgramVectors
    {
        private const byte Nearest = 0x08;
        private const byte Down = 0x09;

        private readonly Vector512<double> _bnMul;
        private readonly Vector512<double> _bnAdd;
        private readonly Vector512<double> _startLo, _startHi, _offsetLo, _offsetHi, _mulLo, _mulHi, _addLo, _addHi;
        private readonly Vector512<double> _fusedBias;
        private readonly Vector512<double> _fusedMul;
        private readonly int _top;
        private readonly bool _quirk;
        private readonly bool _fused;
        private readonly bool _search16;
        private readonly Vector512<int> _start32;

        public ProgramVectors(KpuChannelProgram p)
        {
            int[] start32 = new int[16];
            for (int k = 0; k < 16; k++)
            {
                start32[k] = (int)Math.Clamp(p.Start[k], int.MinValue, int.MaxValue);
            }

            _start32 = Vector512.Create(start32);
            _bnMul = Vector512.Create(p.BnMul);
            _bnAdd = Vector512.Create(p.BnAdd);
            _startLo = Vector512.Create(p.Start.AsSpan(0, 8));
            _startHi = Vector512.Create(p.Start.AsSpan(8, 8));
            // −start·mul per segment: (t − start)·mul as one fused multiply-add, t·mul + offset (exact: the analysis keeps
            // (t − start)·mul·2^shift below 2^52 on every reachable piece, and start·mul·2^shift is an integer below 2^50).
            double[] offset = new double[16];
            for (int k = 0; k < 16; k++)
            {
                offset[k] = -(p.Origin[k] * p.Mul[k]);
            }

            _offsetLo = Vector512.Create(offset.AsSpan(0, 8));
            _offsetHi = Vector512.Create(offset.AsSpan(8, 8));
            _mulLo = Vector512.Create(p.Mul.AsSpan(0, 8));
            _mulHi = Vector512.Create(p.Mul.AsSpan(8, 8));
            _addLo = Vector512.Create(p.Add.AsSpan(0, 8));
            _addHi = Vector512.Create(p.Add.AsSpan(8, 8));
            _top = p.Count <= 1 ? 0 : (int)BitOperations.RoundUpToPowerOf2((uint)p.Count) / 2;
            _quirk = p.Quirk;
            _fused = p.Fused;
            _search16 = p.SearchInt32 && p.Count > 1;
            _fusedBias = Vector512.Create(p.FusedBias);
            _fusedMul = Vector512.Create(p.Mul[0]);
        }

        /// <summary>The fused one formula (<see cref="KpuChannelProgram.Fused"/>) on 16 pre-norm values → 16 output bytes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> EvaluateFused(Vector512<long> low, Vector512<long> high) =>
            EvaluateFused(Avx512DQ.ConvertToVector512Double(low), Avx512DQ.ConvertToVector512Double(high));

        /// <summary><see cref="EvaluateFused(Vector512{long}, Vector512{long})"/> on values already in double lanes (exact integers).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> EvaluateFused(Vector512<double> low, Vector512<double> high)
        {
            Vector512<double> r0 = Avx512F.RoundScale(Avx512F.FusedMultiplyAdd(Avx512F.RoundScale(Avx512F.FusedMultiplyAdd(low, _bnMul, _bnAdd), Down), _fusedMul, _fusedBias), Nearest);
            Vector512<double> r1 = Avx512F.RoundScale(Avx512F.FusedMultiplyAdd(Avx512F.RoundScale(Avx512F.FusedMultiplyAdd(high, _bnMul, _bnAdd), Down), _fusedMul, _fusedBias), Nearest);

            // Negative results to 0 (vmaxpd), then truncation to int32 and unsigned saturation to bytes (255 above).
            Vector256<int> i0 = Avx512F.ConvertToVector256Int32WithTruncation(Avx512F.Max(r0, Vector512<double>.Zero));
            Vector256<int> i1 = Avx512F.ConvertToVector256Int32WithTruncation(Avx512F.Max(r1, Vector512<double>.Zero));
            return Avx512F.ConvertToVector128ByteWithSaturation(Vector512.Create(i0, i1).AsUInt32());
        }

        /// <summary>
        /// A segment search on 16 int32 lanes (<see cref="KpuChannelProgram.SearchInt32"/>), then the formula per 8 lanes:
        /// 16 pre-norm values → 16 output bytes.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> EvaluateSearch16(Vector512<long> low, Vector512<long> high) =>
            EvaluateSearch16(Avx512DQ.ConvertToVector512Double(low), Avx512DQ.ConvertToVector512Double(high));

        /// <summary><see cref="EvaluateSearch16(Vector512{long}, Vector512{long})"/> on values already in double lanes (exact integers).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> EvaluateSearch16(Vector512<double> low, Vector512<double> high)
        {
            // floor(v·mul + add) = floor(v·mul) + add for the integer add; the fused sum is exact (|v·mul| < 2^52, |add| < 2^31).
            Vector512<double> t0 = Avx512F.RoundScale(Avx512F.FusedMultiplyAdd(low, _bnMul, _bnAdd), Down);
            Vector512<double> t1 = Avx512F.RoundScale(Avx512F.FusedMultiplyAdd(high, _bnMul, _bnAdd), Down);
            Vector512<int> t = Vector512.Create(Avx512F.ConvertToVector256Int32WithTruncation(t0), Avx512F.ConvertToVector256Int32WithTruncation(t1));
            Vector512<int> seg = Vector512<int>.Zero;
            // Binary lifting over all 16 starts, unrolled: unused starts are int.MaxValue, which no reachable t exceeds.
            seg = Step(t, seg, 8);
            seg = Step(t, seg, 4);
            seg = Step(t, seg, 2);
            seg = Step(t, seg, 1);

            ulong a = Formula(t0, Avx512F.ConvertToVector512Int64(seg.GetLower()));
            ulong b = Formula(t1, Avx512F.ConvertToVector512Int64(seg.GetUpper()));
            return Vector128.Create(a, b).AsByte();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector512<int> Step(Vector512<int> t, Vector512<int> seg, int step)
        {
            Vector512<int> s = Vector512.Create(step);
            Vector512<int> next = seg + s;
            return Vector512.ConditionalSelect(Vector512.GreaterThan(t, Avx512F.PermuteVar16x32(_start32, next)), next, seg);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ulong Formula(Vector512<double> t, Vector512<long> seg)
        {
            Vector512<double> x = Avx512F.FusedMultiplyAdd(t, Lookup(_mulLo, _mulHi, seg), Lookup(_offsetLo, _offsetHi, seg));
            Vector512<double> r = Avx512F.RoundScale(x, Nearest);
            if (_quirk)
            {
                Vector512<double> f = Avx512F.RoundScale(x, Down);
                r = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), f + f - r, r);
            }

            Vector512<double> y = Avx512F.Max(r + Lookup(_addLo, _addHi, seg), Vector512<double>.Zero);
            return Avx512F.VL.ConvertToVector128ByteWithSaturation(Avx512F.ConvertToVector256Int32WithTruncation(y).AsUInt32()).AsUInt64().ToScalar();
        }

        /// <summary>8 pre-norm values → 8 output bytes (as one little-endian word).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Evaluate(Vector512<long> value) => Evaluate(Avx512DQ.ConvertToVector512Double(value));

        /// <summary>
        /// 16 pre-norm values in double lanes (exact integers) → 16 output bytes, by whichever form the program has.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> Evaluate16(Vector512<double> low, Vector512<double> high)
        {
            if (_fused)
            {
                return EvaluateFused(low, high);
            }

            if (_search16)
            {
                return EvaluateSearch16(low, high);
            }

            return Vector128.Create(Evaluate(low), Evaluate(high)).AsByte();
        }

        /// <summary>8 pre-norm values in double lanes (exact integers) → 8 output bytes (as one little-endian word).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Evaluate(Vector512<double> value)
        {
            if (_fused)
            {
                // The one formula with the norm bias inside the floor and the segment bias inside the rounding.
                Vector512<double> tf = Avx512F.RoundScale(Avx512F.FusedMultiplyAdd(value, _bnMul, _bnAdd), Down);
                Vector512<double> rf = Avx512F.RoundScale(Avx512F.FusedMultiplyAdd(tf, _fusedMul, _fusedBias), Nearest);
                Vector256<int> yi = Avx512F.ConvertToVector256Int32WithTruncation(Vector512.Max(rf, Vector512<double>.Zero));
                return Avx512F.VL.ConvertToVector128ByteWithSaturation(yi.AsUInt32()).AsUInt64().ToScalar();
            }

            Vector512<double> t = Avx512F.RoundScale(Avx512F.FusedMultiplyAdd(value, _bnMul, _bnAdd), Down);
            Vector512<double> offset, mul, add;
            if (_top == 0)
            {
                offset = Vector512.Create(_offsetLo.ToScalar());
                mul = Vector512.Create(_mulLo.ToScalar());
                add = Vector512.Create(_addLo.ToScalar());
            }
            else
            {
                Vector512<long> seg = Vector512<long>.Zero;
                for (int step = _top; step > 0; step >>= 1)
                {
                    Vector512<long> s = Vector512.Create((long)step);
                    seg += Vector512.GreaterThan(t, Lookup(_startLo, _startHi, seg + s)).AsInt64() & s;
                }

                offset = Lookup(_offsetLo, _offsetHi, seg);
                mul = Lookup(_mulLo, _mulHi, seg);
                add = Lookup(_addLo, _addHi, seg);
            }

            Vector512<double> x = Avx512F.FusedMultiplyAdd(t, mul, offset);
            Vector512<double> r = Avx512F.RoundScale(x, Nearest);
            if (_quirk)
            {
                // The reference moves negative values down: floor(x) − (RNE(x) − floor(x)).
                Vector512<double> f = Avx512F.RoundScale(x, Down);
                r = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), f + f - r, r);
            }

            Vector512<double> y = Vector512.Min(Vector512.Max(r + add, Vector512<double>.Zero), Vector512.Create(255.0));
            return Avx512F.VL.ConvertToVector128Byte(Avx512F.ConvertToVector256Int32WithTruncation(y)).AsUInt64().ToScalar();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> Lookup(Vector512<double> low, Vector512<double> high, Vector512<long> index) =>
            Avx512F.PermuteVar8x64x2(low, index, high);
    }
}
