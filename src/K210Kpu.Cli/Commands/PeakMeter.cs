using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace K210Kpu.Cli.Commands;

/// <summary>
/// Measures the machine's peak of exact 8-bit multiply-adds as .NET can issue them: <c>vpmaddwd</c> on 16-bit-widened
/// values (AVX-512BW, else AVX2), several independent accumulators, on every requested thread. GMAC/s counts one MAC per
/// 16-bit product.
/// </summary>
internal static class PeakMeter
{
    public static double MeasureGMacs(int threads)
    {
        const long iterations = 20_000_000;
        double[] rates = new double[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            Loop(1000); // warm-up / JIT
            long t0 = Stopwatch.GetTimestamp();
            long macs = Loop(iterations);
            double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            rates[t] = macs / s / 1e9;
        });
        return rates.Sum();
    }

    /// <remarks>
    /// Each of 8 independent chains feeds its own result back as the next input (reinterpreted as 16-bit pairs), so the
    /// JIT cannot hoist the multiply-add out of the loop and every iteration issues 8 real <c>vpmaddwd</c>; 8 chains
    /// cover the instruction's latency. Wrap-around of the values is harmless: only the instruction count matters.
    /// </remarks>
    private static long Loop(long n)
    {
        if (Avx512BW.IsSupported)
        {
            Vector512<short> b = Vector512.Create((short)3);
            Vector512<int> s0 = Vector512.Create(1), s1 = Vector512.Create(2), s2 = Vector512.Create(3), s3 = Vector512.Create(4);
            Vector512<int> s4 = Vector512.Create(5), s5 = Vector512.Create(6), s6 = Vector512.Create(7), s7 = Vector512.Create(8);
            for (long i = 0; i < n; i++)
            {
                s0 = Avx512BW.MultiplyAddAdjacent(s0.AsInt16(), b); s1 = Avx512BW.MultiplyAddAdjacent(s1.AsInt16(), b);
                s2 = Avx512BW.MultiplyAddAdjacent(s2.AsInt16(), b); s3 = Avx512BW.MultiplyAddAdjacent(s3.AsInt16(), b);
                s4 = Avx512BW.MultiplyAddAdjacent(s4.AsInt16(), b); s5 = Avx512BW.MultiplyAddAdjacent(s5.AsInt16(), b);
                s6 = Avx512BW.MultiplyAddAdjacent(s6.AsInt16(), b); s7 = Avx512BW.MultiplyAddAdjacent(s7.AsInt16(), b);
            }

            GC.KeepAlive((s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7).ToScalar());
            return n * 8 * 32;
        }

        if (Avx2.IsSupported)
        {
            Vector256<short> b = Vector256.Create((short)3);
            Vector256<int> s0 = Vector256.Create(1), s1 = Vector256.Create(2), s2 = Vector256.Create(3), s3 = Vector256.Create(4);
            Vector256<int> s4 = Vector256.Create(5), s5 = Vector256.Create(6), s6 = Vector256.Create(7), s7 = Vector256.Create(8);
            for (long i = 0; i < n; i++)
            {
                s0 = Avx2.MultiplyAddAdjacent(s0.AsInt16(), b); s1 = Avx2.MultiplyAddAdjacent(s1.AsInt16(), b);
                s2 = Avx2.MultiplyAddAdjacent(s2.AsInt16(), b); s3 = Avx2.MultiplyAddAdjacent(s3.AsInt16(), b);
                s4 = Avx2.MultiplyAddAdjacent(s4.AsInt16(), b); s5 = Avx2.MultiplyAddAdjacent(s5.AsInt16(), b);
                s6 = Avx2.MultiplyAddAdjacent(s6.AsInt16(), b); s7 = Avx2.MultiplyAddAdjacent(s7.AsInt16(), b);
            }

            GC.KeepAlive((s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7).ToScalar());
            return n * 8 * 16;
        }

        // Portable fallback: a dependent chain of scalar multiply-adds.
        long acc = 1;
        for (long i = 0; i < n; i++)
        {
            acc = (acc * 3) + 1;
        }

        GC.KeepAlive(acc);
        return n;
    }
}
