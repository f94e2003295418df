using K210Kpu.Hardware;

namespace K210Kpu.Benchmarks;

/// <summary>A KPU layer with random 8-bit weights and a ReLU-like activation table, registers as nncase lays them out.</summary>
internal static class SyntheticLayer
{
    public static KpuConvLayer Create(int w, int h, int ic, int oc, int kernel, bool depthwise, int pool, int seed)
    {
        var rnd = new Random(seed);
        int stride = pool switch { 0 or 8 or 9 => 1, 3 or 4 or 7 => 4, _ => 2 };
        int inRows = KpuRam.RowsFor(w, h, ic);
        ulong[] r = new ulong[12];
        r[0] = depthwise ? 8UL : 0;
        r[1] = U(inRows) << 32;
        r[2] = U(ic - 1) | (U(oc - 1) << 32);
        r[3] = U(w - 1) | (U(h - 1) << 10) | (U((w / stride) - 1) << 32) | (U((h / stride) - 1) << 42);
        r[4] = U(kernel) | (U(pool) << 4) | (3UL << 24);
        // shr_w 3, shr_x 15, arg_w −20, arg_x = −100·2^15: an integer input offset, as the compilers write it.
        r[9] = 3UL | (15UL << 4) | (U(-20 & 0xFFFFFF) << 8) | (U((-100 << 15) & 0xFFFFFF) << 32);
        r[10] = 1234;
        byte[] regs = new byte[KpuLayerArgument.SizeBytes];
        for (int i = 0; i < 12; i++)
        {
            BitConverter.TryWriteBytes(regs.AsSpan(i * 8, 8), r[i]);
        }

        var a = new KpuLayerArgument(regs);
        byte[] weights = new byte[(depthwise ? 1 : ic) * oc * a.KernelSize * a.KernelSize];
        rnd.NextBytes(weights);
        var bn = new KpuBatchNorm[oc];
        for (int i = 0; i < oc; i++)
        {
            bn[i] = new KpuBatchNorm(rnd.Next(1, 4000), rnd.Next(-200000, 200000), rnd.Next(8, 16));
        }

        var act = new KpuActivationSegment[16];
        for (int i = 0; i < 16; i++)
        {
            act[i] = i < 10 ? new KpuActivationSegment(-(1L << 35) + (i * 1000), 0, 0, 0)
                : i == 10 ? new KpuActivationSegment(0, 1024, 20, 0)
                : new KpuActivationSegment((1L << 35) - 16 + i, 0, 0, 0);
        }

        return new KpuConvLayer(a, weights, false, bn, act);
    }

    private static ulong U(int value) => (uint)value;
}
