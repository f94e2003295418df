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

    private static long Loop(long n)
    {
        if (Avx512BW.IsSupported)
        {
            Vector512<short> a = Vector512.Create((short)3), b = Vector512.Create((short)5);
            Vector512<int> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (long i = 0; i < n; i++)
            {
                s0 += Avx512BW.MultiplyAddAdjacent(a, b); s1 += Avx512BW.MultiplyAddAdjacent(b, a);
                s2 += Avx512BW.MultiplyAddAdjacent(a, a); s3 += Avx512BW.MultiplyAddAdjacent(b, b);
                s4 += Avx512BW.MultiplyAddAdjacent(a, b); s5 += Avx512BW.MultiplyAddAdjacent(b, a);
                s6 += Avx512BW.MultiplyAddAdjacent(a, a); s7 += Avx512BW.MultiplyAddAdjacent(b, b);
            }

            GC.KeepAlive((s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7).ToScalar());
            return n * 8 * 32;
        }

        if (Avx2.IsSupported)
        {
            Vector256<short> a = Vector256.Create((short)3), b = Vector256.Create((short)5);
            Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (long i = 0; i < n; i++)
            {
                s0 += Avx2.MultiplyAddAdjacent(a, b); s1 += Avx2.MultiplyAddAdjacent(b, a);
                s2 += Avx2.MultiplyAddAdjacent(a, a); s3 += Avx2.MultiplyAddAdjacent(b, b);
                s4 += Avx2.MultiplyAddAdjacent(a, b); s5 += Avx2.MultiplyAddAdjacent(b, a);
                s6 += Avx2.MultiplyAddAdjacent(a, a); s7 += Avx2.MultiplyAddAdjacent(b, b);
            }

            GC.KeepAlive((s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7).ToScalar());
            return n * 8 * 16;
        }

        // Portable fallback: scalar multiply-adds.
        long acc = 0;
        int x = 3, y = 5;
        for (long i = 0; i < n; i++)
        {
            acc += x * y;
            x ^= 1;
        }

        GC.KeepAlive(acc);
        return n;
    }
}
