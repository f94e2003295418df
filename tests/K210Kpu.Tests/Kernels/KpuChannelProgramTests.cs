using CsCheck;
using K210Kpu.Hardware;
using K210Kpu.Kernels;

namespace K210Kpu.Tests.Kernels;

/// <summary>
/// The per-channel double-precision programs against the scalar batch-norm + activation, bit for bit, on every value
/// the convolution can produce for the channel (random ones, the ends of the range, and values whose batch-normed
/// result lands on or next to a segment start); and the monotony a program claims, which the fast max pool relies on.
/// </summary>
public class KpuChannelProgramTests
{
    /// <summary>ReLU, leaky staircases (as nncase builds them) and random ascending tables.</summary>
    internal static KpuActivationSegment[] Table(Random rnd)
    {
        var s = new KpuActivationSegment[16];
        switch (rnd.Next(4))
        {
            case 0:
                // ReLU: flat zero below, one rising segment, unreachable tail.
                for (int i = 0; i < 10; i++)
                {
                    s[i] = new KpuActivationSegment(-(1L << 35) + (i * 1000), 0, 0, 0);
                }

                s[10] = new KpuActivationSegment(rnd.Next(-50, 50), rnd.Next(1, 4096), rnd.Next(0, 24), (byte)rnd.Next(0, 3));
                for (int i = 11; i < 16; i++)
                {
                    s[i] = new KpuActivationSegment((1L << 35) - 16 + i, 0, 0, 0);
                }

                break;
            case 1:
                // Leaky staircase: equal slopes, stepping biases, a steeper last segment.
                long step = rnd.Next(64, 20000);
                long start = -step * 15;
                s[0] = new KpuActivationSegment(-(1L << 35), 0, 0, 0);
                for (int i = 1; i < 15; i++)
                {
                    s[i] = new KpuActivationSegment(start + (i * step), rnd.Next(1, 200), 20, (byte)i);
                }

                s[15] = new KpuActivationSegment(start + (15 * step), rnd.Next(200, 2048), 20, 15);
                break;
            default:
                s = KpuFastPathTests.RandomActivation(rnd, true, false);
                break;
        }

        return s;
    }

    private static KpuChannelProgram? Program(Random rnd, out long accMax)
    {
        KpuActivationSegment[] table = Table(rnd);
        var bn = rnd.Next(3) switch
        {
            0 => new KpuBatchNorm(rnd.Next(-(1 << 23), 1 << 23), rnd.Next(-(1 << 20), 1 << 20), rnd.Next(0, 16)),
            1 => new KpuBatchNorm(rnd.Next(-4000, 1 << 21), rnd.Next(-(1 << 20), 1 << 20), rnd.Next(0, 16)),
            _ => new KpuBatchNorm(rnd.Next(-2000, 2000), rnd.Next(-200000, 200000), rnd.Next(10, 16)), // t within int32, as compilers scale it
        };
        accMax = rnd.Next(4) == 0 ? rnd.NextInt64(0, 1L << 31) : rnd.Next(0, 1 << 24);
        long sumXMax = rnd.Next(0, 255 * 1024 * 9);
        long argX = rnd.Next(3) == 0 ? 0 : rnd.Next(-(1 << 23), 1 << 23);
        long constant = rnd.Next(2) == 0 ? 0 : rnd.NextInt64(-(1L << 30), 1L << 30);
        return KpuChannelProgram.Analyze(table, bn, constant, argX, rnd.Next(0, 16), accMax, sumXMax);
    }

    /// <summary>Values of the channel's range: its ends, random ones, and ones that land next to segment starts.</summary>
    private static long[] Values(Random rnd, KpuChannelProgram p)
    {
        var values = new List<long> { p.ValueMin, p.ValueMax, p.ValueMin + 1, p.ValueMax - 1 };
        for (int i = 0; i < 200; i++)
        {
            values.Add(p.ValueMin + rnd.NextInt64(0, p.ValueMax - p.ValueMin + 1));
        }

        if (p.BatchNorm.Mul != 0)
        {
            foreach (KpuActivationSegment s in p.Segments)
            {
                // v with ((v·mul) >> shift) + add near start: v ≈ (start − add)·2^shift / mul.
                Int128 v = ((Int128)(s.StartX - p.BatchNorm.Add) << p.BatchNorm.Shift) / p.BatchNorm.Mul;
                for (int d = -3; d <= 3; d++)
                {
                    Int128 w = v + d;
                    if (w >= p.ValueMin && w <= p.ValueMax)
                    {
                        values.Add((long)w);
                    }
                }
            }
        }

        values.AddRange(Ties(p));
        while (values.Count % 8 != 3)
        {
            values.Add(p.ValueMax);
        }

        return [.. values];
    }

    private static int s_ties;

    /// <summary>
    /// Values v whose batch-normed t makes (t − start)·mul an exact tie of the rounding shift (remainder 2^(shift−1)),
    /// for every segment: where round-half-to-even and other roundings part.
    /// </summary>
    private static IEnumerable<long> Ties(KpuChannelProgram p)
    {
        KpuBatchNorm bn = p.BatchNorm;
        long t0 = KpuActivation.BatchNorm(p.ValueMin, bn), t1 = KpuActivation.BatchNorm(p.ValueMax, bn);
        (long tLo, long tHi) = (Math.Min(t0, t1), Math.Max(t0, t1));
        foreach (KpuActivationSegment s in p.Segments)
        {
            if (s.Mul == 0 || s.Shift is < 1 or > 62)
            {
                continue;
            }

            // mul = 2^a · odd; a tie needs a ≤ shift − 1, then t − start ≡ 2^(shift−1−a) · odd⁻¹ (mod 2^(shift−a)).
            long m = Math.Abs(s.Mul);
            int a = System.Numerics.BitOperations.TrailingZeroCount(m);
            if (a > s.Shift - 1)
            {
                continue;
            }

            int k = s.Shift - a;
            var modulus = System.Numerics.BigInteger.One << k;
            System.Numerics.BigInteger odd = (s.Mul < 0 ? -1 : 1) * (m >> a);
            System.Numerics.BigInteger inverse = System.Numerics.BigInteger.ModPow(((odd % modulus) + modulus) % modulus, (System.Numerics.BigInteger.One << (k - 1)) - 1, modulus);
            long residue = (long)(((System.Numerics.BigInteger.One << (k - 1)) * inverse) % modulus);
            long period = 1L << k;
            foreach (long near in new[] { s.StartX, tLo, tHi, tLo + ((tHi - tLo) / 2) })
            {
                long baseT = s.StartX + residue + (System.Numerics.BigInteger.Divide(near - s.StartX - residue, period) * period) is var b ? (long)b : 0;
                for (long t = baseT - (2 * period); t <= baseT + (2 * period); t += period)
                {
                    if (t >= tLo && t <= tHi && ValueFor(p, t) is long v)
                    {
                        Interlocked.Increment(ref s_ties);
                        yield return v;
                    }
                }
            }
        }
    }

    /// <summary>A v of the channel's range with batch-norm(v) = t, by bisection (batch-norm is monotone in v); null if none.</summary>
    private static long? ValueFor(KpuChannelProgram p, long t)
    {
        KpuBatchNorm bn = p.BatchNorm;
        bool rising = bn.Mul >= 0;
        long lo = p.ValueMin, hi = p.ValueMax;
        while (lo < hi)
        {
            long mid = lo + ((hi - lo) / 2);
            long bm = KpuActivation.BatchNorm(mid, bn);
            if (rising ? bm < t : bm > t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return KpuActivation.BatchNorm(lo, bn) == t ? lo : null;
    }

    private static byte Reference(KpuChannelProgram p, long v) =>
        KpuActivation.Activate(KpuActivation.BatchNorm(v, p.BatchNorm), p.Segments);

    [Fact]
    public void Programs_EqualTheReference_OnTheirRange()
    {
        int analyzed = 0, searched = 0, searched32 = 0, quirky = 0, fused = 0;
        Gen.Int.Sample(seed =>
        {
            var rnd = new Random(seed);
            KpuChannelProgram? p = Program(rnd, out _);
            if (p is null)
            {
                return;
            }

            Interlocked.Increment(ref analyzed);
            if (p.Count > 1)
            {
                Interlocked.Increment(ref searched);
                if (p.SearchInt32)
                {
                    Interlocked.Increment(ref searched32);
                }
            }

            if (p.Quirk)
            {
                Interlocked.Increment(ref quirky);
            }

            if (p.Fused)
            {
                Interlocked.Increment(ref fused);
            }

            long[] values = Values(rnd, p);
            byte[] got = new byte[values.Length];
            KpuActivation.ApplyProgramValues(p, values, got);
            for (int i = 0; i < values.Length; i++)
            {
                byte want = Reference(p, values[i]);
                Assert.True(want == got[i], $"seed {seed}: v {values[i]} (count {p.Count}, quirk {p.Quirk}): got {got[i]}, want {want}");
            }

            // The same through the accumulator form: v = acc + xTerm + constant.
            int[] acc = new int[values.Length];
            long[] xTerm = new long[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                long rest = values[i] - p.Constant;
                acc[i] = (int)Math.Clamp(rest, 0, int.MaxValue);
                xTerm[i] = rest - acc[i];
            }

            KpuActivation.ApplyProgram(p, acc, xTerm, got);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.True(Reference(p, values[i]) == got[i], $"seed {seed}: v {values[i]} via acc + xTerm");
            }

            // And with the x term folded into the sums (no x term): v = acc + constant, where that fits int32.
            long[] folded = values.Where(v => v - p.Constant is >= int.MinValue and <= int.MaxValue).ToArray();
            int[] sums = folded.Select(v => (int)(v - p.Constant)).ToArray();
            byte[] gotFolded = new byte[sums.Length];
            KpuActivation.ApplyProgram(p, sums, default, gotFolded);
            for (int i = 0; i < sums.Length; i++)
            {
                Assert.True(Reference(p, folded[i]) == gotFolded[i], $"seed {seed}: v {folded[i]} via folded sums");
            }
        }, iter: 3000);

        // Every form is exercised: one formula (fused or not), a segment search, and the reference's rounding of negative values.
        Assert.True(Volatile.Read(ref s_ties) > 1000, $"only {s_ties} values at rounding ties");
        Assert.True(
            analyzed > 1000 && searched > 100 && searched32 > 50 && searched - searched32 > 50 && quirky > 30 && fused > 100 && analyzed - searched - fused > 30,
            $"programs {analyzed} of 3000, with a search {searched} ({searched32} on int32 lanes), with negative rounding {quirky}, fused {fused}");
    }

    [Fact]
    public void Programs_ClaimMonotonyOnlyWhenItHolds()
    {
        int monotone = 0;
        Gen.Int.Sample(seed =>
        {
            var rnd = new Random(seed);
            KpuChannelProgram? p = Program(rnd, out _);
            if (p is null || p.Monotone == 0)
            {
                return;
            }

            Interlocked.Increment(ref monotone);
            long[] values = Values(rnd, p);
            Array.Sort(values);
            for (int i = 1; i < values.Length; i++)
            {
                int a = Reference(p, values[i - 1]);
                int b = Reference(p, values[i]);
                Assert.True(p.Monotone > 0 ? a <= b : a >= b, $"seed {seed}: f({values[i - 1]}) = {a}, f({values[i]}) = {b}, monotone {p.Monotone}");
            }
        }, iter: 3000);

        Assert.True(monotone > 300, $"only {monotone} monotone programs");
    }

    [Fact]
    public void ReluChannel_RunsOneFormula()
    {
        var s = new KpuActivationSegment[16];
        for (int i = 0; i < 10; i++)
        {
            s[i] = new KpuActivationSegment(-(1L << 35) + i, 0, 0, 0);
        }

        s[10] = new KpuActivationSegment(0, 1024, 20, 0);
        for (int i = 11; i < 16; i++)
        {
            s[i] = new KpuActivationSegment((1L << 35) - 16 + i, 0, 0, 0);
        }

        KpuChannelProgram? p = KpuChannelProgram.Analyze(s, new KpuBatchNorm(112508, 34395, 15), 0, -5799936, 15, 255 * 27 * 255, 255 * 27);
        Assert.NotNull(p);
        Assert.Equal(1, p.Count);
        Assert.False(p.Quirk);
        Assert.True(p.Fused);
        Assert.Equal(1, p.Monotone);
    }

    [Fact]
    public void HugeRange_GetsNoProgram()
    {
        KpuActivationSegment[] s = KpuFastPathTests.RandomActivation(new Random(1), true, false);
        Assert.Null(KpuChannelProgram.Analyze(s, new KpuBatchNorm((1 << 23) - 1, 0, 0), 1L << 40, 0, 0, 1L << 31, 0));
    }
}
