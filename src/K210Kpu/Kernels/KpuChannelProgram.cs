using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>
/// Batch-norm + activation of one output channel, reduced at load time to what the channel can actually reach, and
/// proven exact in double precision. The convolution bounds the pre-norm value v = Σx·w + xTerm + constant of the
/// channel (inputs and weights are u8), hence the batch-normed value t, hence the activation segments t can fall in.
/// On that range every intermediate value is an integer below 2^53 (or such an integer times a power of two), so
/// <c>floor</c>, multiplications by <c>mul·2^-shift</c> and round-half-to-even are exact in double, 8 lanes at a time,
/// without 64-bit multiplies or variable shifts.
/// </summary>
/// <remarks>
/// Two reductions are proven per channel, by evaluating the reference functions at the ends of each piece (a piece is
/// the part of one segment's domain inside the reachable range, split where (t − start)·mul changes sign):
/// <list type="bullet">
/// <item>one formula: when one segment's formula (with plain rounding) gives the reference's output on every reachable
/// piece (the others are constant and equal to it there, as the flat part of a ReLU table is), no segment search runs;</item>
/// <item>monotony: when the output never decreases with t (and t never decreases with v, or never increases), a max
/// pool can take the maximum (or minimum) of v first and activate only the pooled value.</item>
/// </list>
/// A channel whose range breaks a bound gets no program and runs the int64 path.
/// </remarks>
internal sealed class KpuChannelProgram
{
    private const long Exact = 1L << 52;

    private KpuChannelProgram(KpuActivationSegment[] segments, long vLo, long vHi, long constant, KpuBatchNorm bn, int count, double[] start, double[] origin, double[] mul, double[] add, bool quirk, int monotone, bool fused = false, double fusedBias = 0, bool searchInt32 = false)
    {
        SearchInt32 = searchInt32;
        Segments = segments;
        BatchNorm = bn;
        ValueMin = vLo;
        ValueMax = vHi;
        Constant = constant;
        BnMul = Math.ScaleB(bn.Mul, -bn.Shift);
        BnAdd = bn.Add;
        Count = count;
        Start = start;
        Origin = origin;
        Mul = mul;
        Add = add;
        Quirk = quirk;
        Monotone = monotone;
        Fused = fused;
        FusedBias = fusedBias;
        Vectors = new KpuActivation.ProgramVectors(this);
    }

    /// <summary>The tables as vectors, built once (a field, so kernels read it in place).</summary>
    internal readonly KpuActivation.ProgramVectors Vectors;

    /// <summary>The layer's activation table (the reference for values the vector form leaves).</summary>
    public KpuActivationSegment[] Segments { get; }

    public KpuBatchNorm BatchNorm { get; }

    /// <summary>Lowest pre-norm value v the convolution can produce for this channel.</summary>
    public long ValueMin { get; }

    /// <summary>Highest pre-norm value v the convolution can produce for this channel.</summary>
    public long ValueMax { get; }

    /// <summary>((arg_w·Σw) &gt;&gt; shr_w) + arg_add·group, added to Σx·w + xTerm.</summary>
    public long Constant { get; }

    /// <summary><c>norm_mul·2^-norm_shift</c>: t = floor(v·BnMul) + BnAdd.</summary>
    public double BnMul { get; }

    public double BnAdd { get; }

    /// <summary>Segments kept (1..16): the search runs over <see cref="Start"/>[1..Count) only when above 1.</summary>
    public int Count { get; }

    /// <summary>Segment starts, ascending; the first is −∞ (the default segment), unused entries +∞.</summary>
    public double[] Start { get; }

    /// <summary>x_start per kept segment (where its formula starts from).</summary>
    public double[] Origin { get; }

    /// <summary><c>y_mul·2^-shift</c> per kept segment.</summary>
    public double[] Mul { get; }

    /// <summary>result_bias per kept segment.</summary>
    public double[] Add { get; }

    /// <summary>True when a kept segment may see (t − start)·mul &lt; 0, where the reference's rounding differs from half-to-even.</summary>
    public bool Quirk { get; }

    /// <summary>
    /// True when the one formula can also run fused: <c>t = floor(fma(v, norm_mul·2^-shift, norm_add))</c> and
    /// <c>round(fma(t, mul·2^-shift, bias − start·mul·2^-shift))</c>. Each fused operation rounds once, and its exact
    /// result is an integer below 2^53 scaled by a power of two, so nothing is lost (checked at the ends of the range);
    /// floor commutes with adding an integer, round-half-to-even only with adding an even one, so the bias must be even.
    /// </summary>
    public bool Fused { get; }

    /// <summary>
    /// True when every reachable t fits in int32 (strictly inside its range): the segment search then runs on 16 int32
    /// lanes, starts beyond int32 clamped to its ends (t never reaches them, so every comparison keeps its outcome).
    /// </summary>
    public bool SearchInt32 { get; }

    /// <summary>bias − start·mul·2^-shift of the one formula (exact when <see cref="Fused"/>).</summary>
    public double FusedBias { get; }

    /// <summary>+1 when the output never decreases as v grows, −1 when it never increases, 0 otherwise.</summary>
    public int Monotone { get; }

    /// <summary>
    /// The program of one channel, or null when its range cannot be proven exact in double precision.
    /// <paramref name="accMax"/> bounds Σx·w (≥ 0), <paramref name="sumXMax"/> bounds Σx.
    /// </summary>
    public static KpuChannelProgram? Analyze(
        KpuActivationSegment[] segments, KpuBatchNorm bn, long constant, long argX, int shrX, long accMax, long sumXMax)
    {
        if (!SortedForSearch(segments) || accMax is < 0 or > Exact || sumXMax is < 0 or > (1L << 31) ||
            argX is <= -(1L << 31) or >= (1L << 31) || shrX is < 0 or > 63 || !Small(constant))
        {
            return null;
        }

        long xTermMax = (argX * sumXMax) >> shrX;
        long vLo = constant + Math.Min(0, xTermMax);
        long vHi = constant + accMax + Math.Max(0, xTermMax);
        if (!Small(vLo) || !Small(vHi) || Int128.Max(Int128.Abs((Int128)vLo * bn.Mul), Int128.Abs((Int128)vHi * bn.Mul)) >= Exact)
        {
            return null;
        }

        long tA = KpuActivation.BatchNorm(vLo, bn);
        long tB = KpuActivation.BatchNorm(vHi, bn);
        long tLo = Math.Min(tA, tB);
        long tHi = Math.Max(tA, tB);

        List<Piece>? pieces = Pieces(segments, tLo, tHi);
        if (pieces is null)
        {
            return null;
        }

        int monotone = MonotoneInT(pieces) ? (bn.Mul >= 0 ? 1 : -1) : 0;

        // One formula for the whole range, when some reachable segment's formula is proven to give every output.
        foreach (Piece candidate in pieces)
        {
            if (OneFormulaHolds(segments, candidate.Segment, pieces))
            {
                KpuActivationSegment s = segments[candidate.Segment];
                double[] start = Filled(double.PositiveInfinity);
                start[0] = double.NegativeInfinity;
                bool fused = Fusable(bn, s, vLo, vHi, tLo, tHi);
                double fusedBias = fused ? Math.ScaleB((double)(((Int128)s.Add << s.Shift) - ((Int128)s.StartX * s.Mul)), -s.Shift) : 0;
                return new KpuChannelProgram(
                    segments, vLo, vHi, constant, bn, 1, start, [s.StartX, .. new double[15]], [Math.ScaleB(s.Mul, -s.Shift), .. new double[15]], [s.Add, .. new double[15]], false, monotone, fused, fusedBias);
            }
        }

        // Otherwise the reachable segments in order, the first one as the default.
        var kept = new List<int>();
        bool quirk = false;
        foreach (Piece p in pieces)
        {
            if (kept.Count == 0 || kept[^1] != p.Segment)
            {
                kept.Add(p.Segment);
            }

            quirk |= p.DMin < 0 && segments[p.Segment].Shift > 0;
        }

        double[] starts = Filled(double.PositiveInfinity);
        double[] origins = new double[16];
        double[] muls = new double[16];
        double[] adds = new double[16];
        for (int k = 0; k < kept.Count; k++)
        {
            KpuActivationSegment s = segments[kept[k]];
            starts[k] = k == 0 ? double.NegativeInfinity : s.StartX;
            origins[k] = s.StartX;
            muls[k] = Math.ScaleB(s.Mul, -s.Shift);
            adds[k] = s.Add;
        }

        return new KpuChannelProgram(segments, vLo, vHi, constant, bn, kept.Count, starts, origins, muls, adds, quirk, monotone, searchInt32: tLo > int.MinValue && tHi < int.MaxValue);
    }

    private static bool Small(long value) => value > -Exact && value < Exact;

    private static bool Small(Int128 value) => value > -Exact && value < Exact;

    /// <summary>
    /// The bounds <see cref="Fused"/> needs, at the ends of the v and t ranges (every term is linear in them); and an even
    /// bias: round-half-to-even moves with an even shift only (round(0.5 + 1) = 2, but round(0.5) + 1 = 1).
    /// </summary>
    private static bool Fusable(KpuBatchNorm bn, KpuActivationSegment s, long vLo, long vHi, long tLo, long tHi)
    {
        if ((s.Add & 1) != 0)
        {
            return false;
        }

        Int128 addScaled = (Int128)bn.Add << bn.Shift;
        Int128 biasScaled = ((Int128)s.Add << s.Shift) - ((Int128)s.StartX * s.Mul);
        return Small(((Int128)vLo * bn.Mul) + addScaled) && Small(((Int128)vHi * bn.Mul) + addScaled) &&
            Small(biasScaled) && Small(((Int128)tLo * s.Mul) + biasScaled) && Small(((Int128)tHi * s.Mul) + biasScaled);
    }

    private static double[] Filled(double value)
    {
        double[] a = new double[16];
        Array.Fill(a, value);
        return a;
    }

    /// <summary>Ascending starts, shifts the vector form supports, muls that keep products small.</summary>
    private static bool SortedForSearch(KpuActivationSegment[] s)
    {
        if (s.Length != KpuActivation.Segments)
        {
            return false;
        }

        for (int i = 0; i < s.Length; i++)
        {
            if (s[i].Shift is < 0 or > 63 || (i > 0 && s[i - 1].StartX > s[i].StartX))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The parts of [tLo, tHi] each segment's domain covers (segment i ≥ 1: (start_i, start_i+1]; segment 0: up to
    /// start_1), split where (t − start)·mul changes sign; null when a product could reach 2^52.
    /// </summary>
    private static List<Piece>? Pieces(KpuActivationSegment[] s, long tLo, long tHi)
    {
        var pieces = new List<Piece>();
        for (int i = 0; i < s.Length; i++)
        {
            long from = i == 0 ? long.MinValue : s[i].StartX + 1;
            long to = i + 1 < s.Length ? s[i + 1].StartX : long.MaxValue;
            from = Math.Max(from, tLo);
            to = Math.Min(to, tHi);
            if (from > to)
            {
                continue;
            }

            // Segment 0 also serves values at or below its own start, where (t − start) ≤ 0.
            if (from <= s[i].StartX && s[i].StartX < to)
            {
                if (!AddPiece(pieces, s, i, from, s[i].StartX) || !AddPiece(pieces, s, i, s[i].StartX + 1, to))
                {
                    return null;
                }
            }
            else if (!AddPiece(pieces, s, i, from, to))
            {
                return null;
            }
        }

        return pieces;
    }

    private static bool AddPiece(List<Piece> pieces, KpuActivationSegment[] s, int segment, long from, long to)
    {
        KpuActivationSegment g = s[segment];
        Int128 dA = ((Int128)from - g.StartX) * g.Mul;
        Int128 dB = ((Int128)to - g.StartX) * g.Mul;
        if (Int128.Abs(dA) >= Exact || Int128.Abs(dB) >= Exact)
        {
            return false;
        }

        (byte lo, byte hi, Kind kind) = Range(g, from, to, (long)Int128.Min(dA, dB), (long)Int128.Max(dA, dB));
        pieces.Add(new Piece(segment, from, to, (long)Int128.Min(dA, dB), lo, hi, kind));
        return true;
    }

    /// <summary>Bounds of the reference output of segment <paramref name="g"/> over [from, to].</summary>
    private static (byte Lo, byte Hi, Kind Kind) Range(KpuActivationSegment g, long from, long to, long dMin, long dMax)
    {
        if (g.Mul == 0)
        {
            return (g.Add, g.Add, Kind.Constant);
        }

        if (dMin >= 0 || g.Shift == 0)
        {
            // Rounding is monotone here: the ends bound the piece.
            byte a = Output(g, from);
            byte b = Output(g, to);
            Kind kind = a == b ? Kind.Constant : g.Mul > 0 ? Kind.Rising : Kind.Falling;
            return (Math.Min(a, b), Math.Max(a, b), kind);
        }

        // (t − start)·mul ≤ 0: the reference gives floor(x) or floor(x) − 1 for x = d / 2^shift.
        long lo = (dMin >> g.Shift) - 1 + g.Add;
        long hi = (dMax >> g.Shift) + g.Add;
        byte cLo = (byte)Math.Clamp(lo, 0, 255);
        byte cHi = (byte)Math.Clamp(hi, 0, 255);
        return (cLo, cHi, cLo == cHi ? Kind.Constant : Kind.Unknown);
    }

    private static byte Output(KpuActivationSegment g, long t) =>
        (byte)Math.Clamp(FixedPoint.CarryShiftBanker((t - g.StartX) * g.Mul, g.Shift) + g.Add, 0, 255);

    /// <summary>Plain round-half-to-even of (t − start)·mul / 2^shift, plus the bias, clamped: what the one-formula path computes.</summary>
    private static byte Plain(KpuActivationSegment g, long t)
    {
        long d = (t - g.StartX) * g.Mul;
        long r = d >= 0 ? FixedPoint.CarryShiftBanker(d, g.Shift) : -FixedPoint.CarryShiftBanker(-d, g.Shift);
        return (byte)Math.Clamp(r + g.Add, 0, 255);
    }

    private static bool OneFormulaHolds(KpuActivationSegment[] s, int candidate, List<Piece> pieces)
    {
        KpuActivationSegment g = s[candidate];
        foreach (Piece p in pieces)
        {
            // The formula must stay exact wherever it is evaluated.
            if (Int128.Abs(((Int128)p.From - g.StartX) * g.Mul) >= Exact || Int128.Abs(((Int128)p.To - g.StartX) * g.Mul) >= Exact)
            {
                return false;
            }

            if (p.Segment == candidate && (p.DMin >= 0 || g.Shift == 0))
            {
                continue; // the same formula, and plain rounding equals the reference's for d ≥ 0
            }

            // Elsewhere both must be the same constant; the candidate's output is monotone in t, so its ends bound it.
            if (p.Kind != Kind.Constant || Plain(g, p.From) != p.Lo || Plain(g, p.To) != p.Lo)
            {
                return false;
            }
        }

        return true;
    }

    private static bool MonotoneInT(List<Piece> pieces)
    {
        for (int i = 0; i < pieces.Count; i++)
        {
            if (pieces[i].Kind is not (Kind.Constant or Kind.Rising) || (i > 0 && pieces[i - 1].Hi > pieces[i].Lo))
            {
                return false;
            }
        }

        return true;
    }

    private enum Kind
    {
        Constant,
        Rising,
        Falling,
        Unknown,
    }

    private readonly record struct Piece(int Segment, long From, long To, long DMin, byte Lo, byte Hi, Kind Kind);
}
