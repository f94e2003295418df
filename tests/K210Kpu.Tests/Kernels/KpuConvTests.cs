using CsCheck;
using K210Kpu.Hardware;
using K210Kpu.Kernels;
using K210Kpu.Tests.Hardware;

namespace K210Kpu.Tests.Kernels;

public class KpuConvTests
{
    private sealed record Case(KpuRegisterBuilder Registers, bool SixteenBit, int Seed, int Batches = 1);

    private static void RunAndCompare(Case c)
    {
        var rnd = new Random(c.Seed);
        KpuRegisterBuilder r = c.Registers;
        var a = new KpuLayerArgument(r.Bytes());
        int k = a.KernelSize;
        int perChannel = (a.DepthWiseLayer ? 1 : a.InputChannels) * k * k;
        var weights = new int[a.OutputChannels][];
        var weightBytes = new byte[a.OutputChannels * perChannel * (c.SixteenBit ? 2 : 1)];
        for (int oc = 0; oc < a.OutputChannels; oc++)
        {
            weights[oc] = new int[perChannel];
            for (int i = 0; i < perChannel; i++)
            {
                int w = c.SixteenBit ? rnd.Next(65536) : rnd.Next(256);
                weights[oc][i] = w;
                int at = (oc * perChannel) + i;
                if (c.SixteenBit)
                {
                    weightBytes[at * 2] = (byte)w;
                    weightBytes[(at * 2) + 1] = (byte)(w >> 8);
                }
                else
                {
                    weightBytes[at] = (byte)w;
                }
            }
        }

        var bn = new KpuBatchNorm[a.OutputChannels];
        for (int i = 0; i < bn.Length; i++)
        {
            bn[i] = new KpuBatchNorm(rnd.Next(-4000, 4000), rnd.Next(-200000, 200000), rnd.Next(0, 16));
        }

        var act = new KpuActivationSegment[16];
        act[0] = new KpuActivationSegment(-(1L << 35), rnd.Next(-3, 3), rnd.Next(0, 12), (byte)rnd.Next(256));
        long start = -300000;
        for (int i = 1; i < 16; i++)
        {
            start += rnd.Next(0, 40000);
            act[i] = new KpuActivationSegment(start, rnd.Next(-400, 400), rnd.Next(0, 14), (byte)rnd.Next(256));
        }

        var layer = new KpuConvLayer(a, weightBytes, c.SixteenBit, bn, act, c.Batches);
        var ram = new KpuRam();
        rnd.NextBytes(ram.Data);
        int inRows = KpuRam.RowsFor(a.InputWidth, a.InputHeight, a.InputChannels);
        int outRows = KpuRam.RowsFor(a.OutputWidth, a.OutputHeight, a.OutputChannels);
        var want = new List<byte>();
        for (int n = 0; n < c.Batches; n++)
        {
            var batchArgs = new KpuLayerArgument((r with { SrcRow = r.SrcRow + (n * inRows) }).Bytes());
            want.AddRange(ReferenceKpu.Run(ram, batchArgs, weights, bn, act));
        }

        var main = new byte[layer.OutputBytes];
        KpuConv.Run(layer, ram, main, RunOptions.Default);
        GoldenAssert(want.ToArray(), main, c);

        // The write-back follows the wb_* registers.
        for (int n = 0; n < c.Batches; n++)
        {
            var batchArgs = new KpuLayerArgument((r with { DstRow = r.DstRow + (n * outRows) }).Bytes());
            for (int oc = 0; oc < a.OutputChannels; oc++)
            {
                for (int y = 0; y < a.OutputHeight; y++)
                {
                    for (int x = 0; x < a.OutputWidth; x++)
                    {
                        byte got = ram.Data[ReferenceKpu.OutAddress(batchArgs, oc, y, x)];
                        byte expected = want[(n * layer.OutputBytes / c.Batches) + (((oc * a.OutputHeight) + y) * a.OutputWidth) + x];
                        Assert.True(got == expected, $"{c}: KPU RAM batch {n} channel {oc} ({y},{x}): got {got}, want {expected}");
                    }
                }
            }
        }
    }

    private static void GoldenAssert(byte[] want, byte[] got, Case c)
    {
        int i = want.AsSpan().CommonPrefixLength(got);
        Assert.True(i == want.Length, i == want.Length ? string.Empty : $"{c}: element {i}: got {got[i]}, want {want[i]}");
    }

    private static readonly Gen<Case> Cases =
        from w in Gen.Int[1, 70]
        from h in Gen.Int[1, 6]
        from ic in Gen.Int[1, 5]
        from oc in Gen.Int[1, 5]
        from kernel in Gen.Int[0, 1]
        from dw in Gen.Bool
        from pool in Gen.Int[0, 9]
        from sixteen in Gen.Bool
        from pad in Gen.Int[0, 255]
        from argX in Gen.Int[-300, 300]
        from argW in Gen.Int[-300, 300]
        from shr in Gen.Int[0, 3]
        from argAdd in Gen.Int[-100000, 100000]
        from seed in Gen.Int
        where w / KpuRegisterBuilder.Stride(pool) >= 1 && h / KpuRegisterBuilder.Stride(pool) >= 1
        select new Case(new KpuRegisterBuilder
        {
            InW = w, InH = h, InC = dw ? oc : ic, OutC = oc, KernelType = kernel, Depthwise = dw, PoolType = pool,
            PadValue = pad, ArgX = argX, ArgW = argW, ShrX = shr, ShrW = 3 - shr, ArgAdd = argAdd, SrcRow = 10, DstRow = 2000,
        }, sixteen, seed);

    [Fact]
    public void RandomLayers_MatchTheNaiveReference() => Cases.Sample(RunAndCompare, iter: 300);

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    public void Depthwise_NarrowAndWide_MatchReference(int kernel, bool sixteenBit)
    {
        foreach (int w in new[] { 4, 16, 17, 32, 33, 64, 100 })
        {
            RunAndCompare(new Case(new KpuRegisterBuilder { InW = w, InH = 5, InC = 6, OutC = 6, KernelType = kernel, Depthwise = true, PadValue = 3, ArgX = -7, ArgW = -50, ArgAdd = 350, DstRow = 3000 }, sixteenBit, w));
        }
    }

    [Fact]
    public void SixteenBitWeights_UseTheWholeRange() =>
        RunAndCompare(new Case(new KpuRegisterBuilder { InW = 12, InH = 12, InC = 3, OutC = 4, KernelType = 1, PoolType = 1, ArgX = -30000, ArgW = -90, ShrX = 2, ArgAdd = 1000 }, true, 7));

    [Fact]
    public void Batches_AreLaidOutOneAfterAnother() =>
        RunAndCompare(new Case(new KpuRegisterBuilder { InW = 20, InH = 4, InC = 3, OutC = 5, KernelType = 1, PoolType = 5, DstRow = 4000 }, false, 3, Batches: 3));
}
