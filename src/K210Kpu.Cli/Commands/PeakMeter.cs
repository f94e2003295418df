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
    /// <summary>Where each loop stores its result, so the JIT cannot drop the computation as dead code.</summary>
    private static int s_sink;

    /// <summary>Vector width the next measurement uses (512, 256, or 0 for scalar).</summary>
    private static int s_width;

    /// <summary>The best of the vector widths this machine has (Zen 4 runs 256-bit vpmaddwd at twice the rate of 512-bit).</summary>
    public static double MeasureGMacs(int threads)
    {
        double best = 0;
        foreach (int width in new[] { 512, 256, 0 })
        {
            if ((width == 512 && !Avx512BW.IsSupported) || (width == 256 && !Avx2.IsSupported) || (width == 0 && best > 0))
            {
                continue;
            }

            s_width = width;
            best = Math.Max(best, MeasureAt(threads));
        }

        return best;
    }

    private static double MeasureAt(int threads)
    {
        const long iterations = 20_000_000;
        Loop(1000); // JIT the loop before timing
        long[] macs = new long[threads];
        using var ready = new Barrier(threads + 1);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                ready.SignalAndWait();
                macs[index] = Loop(iterations);
            });
            workers[t].Start();
        }

        // One clock around all threads started together: per-thread rates would add up to more than the machine
        // delivers when the threads do not actually run at the same time.
        ready.SignalAndWait();
        long t0 = Stopwatch.GetTimestamp();
        foreach (Thread w in workers)
        {
            w.Join();
        }

        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return macs.Sum() / seconds / 1e9;
    }

    /// <remarks>
    /// Each of 8 independent chains feeds its own result back as the next input (reinterpreted as 16-bit pairs), so the
    /// JIT cannot hoist the multiply-add out of the loop and every iteration issues 8 real <c>vpmaddwd</c>; 8 chains
    /// cover the instruction's latency. Wrap-around of the values is harmless: only the instruction count matters.
    /// </remarks>
    private static long Loop(long n) => Loop(n, s_width);

    private static long Loop(long n, int width)
    {
        if (width == 512 && Avx512BW.IsSupported)
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

            Volatile.Write(ref s_sink, (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7).ToScalar());
            return n * 8 * 32;
        }

        if (width >= 256 && Avx2.IsSupported)
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

            Volatile.Write(ref s_sink, (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7).ToScalar());
            return n * 8 * 16;
        }

        // Portable fallback: a dependent chain of scalar multiply-adds.
        long acc = 1;
        for (long i = 0; i < n; i++)
        {
            acc = (acc * 3) + 1;
        }

        Volatile.Write(ref s_sink, (int)acc);
        return n;
    }
}
