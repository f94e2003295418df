using CsCheck;
using K210Kpu.Hardware;
using K210Kpu.Kernels;
using K210Kpu.Tests.Hardware;

namespace K210Kpu.Tests.Kernels;

/// <summary>
/// Every fast kernel against the scalar specification, bit for bit: the dense output and the whole 2 MiB of KPU RAM
/// afterwards (so stray writes show too), with 1 and 2 threads. With hardware intrinsics disabled the same tests check
/// the portable fallbacks.
/// </summary>
public class KpuFastPathTests
{
    internal sealed record Layer(
        KpuRegisterBuilder Registers,
        int Batches,
        bool UnsortedActivation,
        bool WideShifts,
        int Seed)
    {
        public override string ToString() =>
            $"{Registers.InC}x{Registers.InH}x{Registers.InW} -> {Registers.OutC}, k{Registers.KernelType}, dw {Registers.Depthwise}, " +
            $"pool {Registers.PoolType}, pad {Registers.PadValue}, argX {Registers.ArgX}>>{Registers.ShrX}, argW {Registers.ArgW}>>{Registers.ShrW}, " +
            $"argAdd {Registers.ArgAdd}, rows {Registers.SrcRow}->{Registers.DstRow}, batches {Batches}, unsorted {UnsortedActivation}, wide {WideShifts}, seed {Seed}";
    }

    private static readonly Gen<int> Widths = Gen.OneOf(Gen.Int[1, 16], Gen.Int[17, 32], Gen.Int[33, 64], Gen.Int[65, 140]);

    private static readonly Gen<int> ChannelCounts = Gen.Frequency((4, Gen.Int[1, 9]), (2, Gen.Int[10, 40]), (1, Gen.Int[41, 80]));

    private static readonly Gen<Layer> Layers =
        from w in Widths
        from h in Gen.Int[1, 9]
        from ic in ChannelCounts
        from oc in ChannelCounts
        from kernel in Gen.Int[0, 1]
        from dw in Gen.Frequency((3, Gen.Const(false)), (2, Gen.Const(true)))
        from pool in Gen.Int[0, 9]
        from pad in Gen.Int[0, 255]
        from argX in Gen.Frequency((3, Gen.Long[-300, 300]), (1, Gen.Long[-(1L << 23), (1L << 23) - 1]))
        from argW in Gen.Frequency((3, Gen.Long[-300, 300]), (1, Gen.Long[-(1L << 23), (1L << 23) - 1]))
        from shrX in Gen.Int[0, 15]
        from foldX in Gen.Frequency((2, Gen.Const(false)), (1, Gen.Const(true)))
        from z in Gen.Frequency((4, Gen.Long[-300, 300]), (1, Gen.Long[-40000, 40000]))
        from shrW in Gen.Int[0, 15]
        from argAdd in Gen.Frequency((3, Gen.Long[-100000, 100000]), (1, Gen.Long[-(1L << 39), (1L << 39) - 1]))
        from batches in Gen.Frequency((4, Gen.Const(1)), (1, Gen.Int[2, 3]))
        from unsorted in Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true)))
        from wide in Gen.Frequency((6, Gen.Const(false)), (1, Gen.Const(true)))
        from seed in Gen.Int
        where w / KpuRegisterBuilder.Stride(pool) >= 1 && h / KpuRegisterBuilder.Stride(pool) >= 1
        select new Layer(
            new KpuRegisterBuilder
            {
                InW = w, InH = h, InC = dw ? oc : ic, OutC = oc, KernelType = kernel, Depthwise = dw, PoolType = pool, PadValue = pad,
                ArgX = foldX ? FoldableArgX(z, shrX) : argX, ArgW = argW, ShrX = shrX, ShrW = shrW, ArgAdd = argAdd,
                SrcRow = (seed & 0x3FF) + 3, DstRow = (seed & 1) == 0 ? 9000 + ((seed >> 10) & 0xFF) : (seed & 0x3FF) + 3 + ((seed >> 12) & 7),
            },
            batches,
            unsorted,
            wide,
            seed);

    /// <summary>
    /// arg_x = z·2^shr_x within the 24-bit field, as compilers emit it (an integer input offset): the x term then folds
    /// into the weights unless some w + z leaves 16 bits.
    /// </summary>
    private static long FoldableArgX(long z, int shrX)
    {
        long limit = 1L << (23 - shrX);
        return Math.Clamp(z, -limit, limit - 1) << shrX;
    }

    private static KpuConvLayer Build(Layer c, Random rnd)
    {
        var a = new KpuLayerArgument(c.Registers.Bytes());
        int k2 = a.KernelSize * a.KernelSize;
        byte[] weights = new byte[(a.DepthWiseLayer ? 1 : a.InputChannels) * a.OutputChannels * k2];
        rnd.NextBytes(weights);
        if (rnd.Next(4) == 0)
        {
            weights.AsSpan().Fill(255);
        }

        var bn = new KpuBatchNorm[a.OutputChannels];
        for (int i = 0; i < bn.Length; i++)
        {
            bn[i] = rnd.Next(3) == 0
                ? new KpuBatchNorm(rnd.NextInt64(-(1L << 23), 1L << 23), rnd.NextInt64(int.MinValue, int.MaxValue), rnd.Next(0, 16))
                : new KpuBatchNorm(rnd.Next(-4000, 4000), rnd.Next(-200000, 200000), rnd.Next(0, 16));
        }

        return new KpuConvLayer(a, weights, false, bn, RandomActivation(rnd, !c.UnsortedActivation, c.WideShifts), c.Batches);
    }

    /// <summary>A layer as compilers emit them: ReLU or leaky tables, batch-norm multipliers of one sign per layer.</summary>
    private static KpuConvLayer BuildRealistic(Layer c, Random rnd)
    {
        var a = new KpuLayerArgument(c.Registers.Bytes());
        int k2 = a.KernelSize * a.KernelSize;
        byte[] weights = new byte[(a.DepthWiseLayer ? 1 : a.InputChannels) * a.OutputChannels * k2];
        rnd.NextBytes(weights);
        int sign = rnd.Next(4) == 0 ? -1 : 1;
        var bn = new KpuBatchNorm[a.OutputChannels];
        for (int i = 0; i < bn.Length; i++)
        {
            bn[i] = new KpuBatchNorm(sign * rnd.Next(0, 1 << 18), rnd.Next(-(1 << 20), 1 << 20), rnd.Next(8, 16));
        }

        return new KpuConvLayer(a, weights, false, bn, KpuChannelProgramTests.Table(rnd), c.Batches);
    }

    /// <summary>16 random segments: ascending or shuffled starts (with repeats), negative and zero muls, shifts 0..63 (wide: up to 255).</summary>
    internal static KpuActivationSegment[] RandomActivation(Random rnd, bool sorted, bool wideShifts)
    {
        var act = new KpuActivationSegment[16];
        long start = rnd.Next(3) == 0 ? -(1L << 35) : rnd.NextInt64(-(1L << 31), 0);
        for (int i = 0; i < 16; i++)
        {
            long mul = rnd.Next(4) switch { 0 => 0, 1 => rnd.Next(-32768, 32768), _ => rnd.Next(-400, 400) };
            int shift = wideShifts && rnd.Next(4) == 0 ? rnd.Next(64, 256) : rnd.Next(3) == 0 ? rnd.Next(0, 64) : rnd.Next(0, 20);
            act[i] = new KpuActivationSegment(start, mul, shift, (byte)rnd.Next(256));
            start = rnd.Next(5) == 0 ? start : Math.Min(start + rnd.NextInt64(1, 1L << rnd.Next(1, 33)), (1L << 35) - 1);
        }

        if (rnd.Next(3) == 0)
        {
            // Runs of equal constant segments, as ReLU tables have.
            for (int i = 1; i < 10; i++)
            {
                act[i] = act[i] with { Mul = 0, Add = act[0].Add };
            }

            act[0] = act[0] with { Mul = 0 };
        }

        if (!sorted)
        {
            rnd.Shuffle(act);
        }

        return act;
    }

    private static void Compare(Layer c) => Compare(c, Build(c, new Random(c.Seed)));

    private static void Compare(Layer c, KpuConvLayer layer)
    {
        var rnd = new Random(c.Seed + 1);
        var scalarRam = new KpuRam();
        rnd.NextBytes(scalarRam.Data);
        byte[] initial = scalarRam.Data.ToArray();
        byte[] want = new byte[layer.OutputBytes];
        KpuConv.Run(layer, scalarRam, want, new RunOptions { ForceScalar = true });

        foreach (int threads in new[] { 1, 2 })
        {
            var fastRam = new KpuRam();
            initial.CopyTo(fastRam.Data, 0);
            byte[] got = new byte[layer.OutputBytes];
            KpuConv.Run(layer, fastRam, got, new RunOptions { Threads = threads });
            int i = want.AsSpan().CommonPrefixLength(got);
            Assert.True(i == want.Length, i == want.Length ? string.Empty : $"{c}, threads {threads}: output {i} is {got[i]}, want {want[i]}");
            int j = scalarRam.Data.AsSpan().CommonPrefixLength(fastRam.Data);
            Assert.True(j == KpuRam.SizeBytes, j == KpuRam.SizeBytes ? string.Empty : $"{c}, threads {threads}: KPU RAM byte {j} is {fastRam.Data[j]}, want {scalarRam.Data[j]}");

            // A second run on the same RAM (reused workspace) gives the same bytes again.
            initial.CopyTo(fastRam.Data, 0);
            KpuConv.Run(layer, fastRam, got, new RunOptions { Threads = threads });
            Assert.True(want.AsSpan().SequenceEqual(got), $"{c}, threads {threads}: second run differs");

            // Without a main-memory output (the usual case inside a model) only KPU RAM is written.
            initial.CopyTo(fastRam.Data, 0);
            KpuConv.Run(layer, fastRam, default, new RunOptions { Threads = threads });
            j = scalarRam.Data.AsSpan().CommonPrefixLength(fastRam.Data);
            Assert.True(j == KpuRam.SizeBytes, j == KpuRam.SizeBytes ? string.Empty : $"{c}, threads {threads}, no main output: KPU RAM byte {j} is {fastRam.Data[j]}, want {scalarRam.Data[j]}");
        }
    }

    [Fact]
    public void RandomLayers_FastEqualsScalar() => Layers.Sample(Compare, iter: 250);

    /// <summary>
    /// Layers as compilers emit them, which run in row mode: no pool, or a pool before the activation (select pools;
    /// max pools, 9 included, over monotone channels); a mean pool as the contrast.
    /// </summary>
    [Fact]
    public void RowModeLayers_FastEqualsScalar()
    {
        int poolsFirst = 0, folded = 0;
        Gen.Select(Layers, Gen.Int[0, 6]).Sample((original, p) =>
        {
            int pool = new[] { 0, 1, 3, 5, 7, 9, 2 }[p];
            KpuRegisterBuilder r = original.Registers with
            {
                PoolType = pool,
                InW = Math.Max(original.Registers.InW, 4),
                InH = Math.Max(original.Registers.InH, 4),
                ArgW = Math.Clamp(original.Registers.ArgW, -(1L << 20), 1L << 20),
                ArgAdd = Math.Clamp(original.Registers.ArgAdd, -(1L << 30), 1L << 30),
            };
            Layer c = original with { Registers = r };
            KpuConvLayer layer = BuildRealistic(c, new Random(c.Seed));
            KpuConvPlan plan = KpuConvPlan.For(layer);
            if (plan.PoolsFirst(pool) || (pool == 0 && plan.AllPrograms))
            {
                Interlocked.Increment(ref poolsFirst);
            }

            if (plan.FoldsXTerm)
            {
                Interlocked.Increment(ref folded);
            }

            Compare(c, layer);
        }, iter: 300);
        Assert.True(poolsFirst > 150, $"row mode in only {poolsFirst} of 300 layers");
        Assert.True(folded is > 60 and < 240, $"the x term folded in {folded} of 300 layers");
    }

    [Theory]
    [InlineData(320, 6, 3, 16, 1, false, 1)]
    [InlineData(160, 4, 16, 16, 1, true, 0)]
    [InlineData(80, 5, 32, 64, 0, false, 0)]
    [InlineData(20, 15, 256, 30, 0, false, 0)]
    [InlineData(10, 7, 256, 512, 0, false, 9)]
    [InlineData(10, 7, 96, 96, 1, true, 0)]
    [InlineData(7, 7, 200, 70, 0, false, 0)]
    [InlineData(4, 4, 768, 40, 0, false, 0)]
    [InlineData(112, 6, 48, 96, 0, false, 5)]
    [InlineData(14, 14, 64, 64, 1, false, 0)]
    [InlineData(64, 3, 1024, 4, 1, false, 0)]
    [InlineData(33, 2, 1024, 8, 0, false, 2)]
    [InlineData(64, 64, 16, 32, 0, false, 0)]
    [InlineData(20, 9, 24, 24, 1, true, 9)]
    [InlineData(18, 11, 8, 12, 1, false, 9)]
    [InlineData(40, 30, 12, 20, 0, false, 9)]
    [InlineData(56, 120, 8, 24, 0, false, 1)]
    public void K210Shapes_FastEqualsScalar(int w, int h, int ic, int oc, int kernel, bool dw, int pool)
    {
        // Seeds 0 and 1 fold the x term into the weights, 2 does not, 3 has the compilers' form (an offset · 2^15).
        for (int seed = 0; seed < 4; seed++)
        {
            Compare(new Layer(
                new KpuRegisterBuilder
                {
                    InW = w, InH = h, InC = dw ? oc : ic, OutC = oc, KernelType = kernel, Depthwise = dw, PoolType = pool, PadValue = seed * 100,
                    ArgX = seed == 3 ? -(100 + w) << 15 : -9 - seed, ShrX = seed == 3 ? 15 : seed, ArgW = -120, ShrW = 3, ArgAdd = 5000 * (seed - 1), SrcRow = 100, DstRow = 16000,
                },
                1,
                seed == 2,
                false,
                seed + (w * 7)));
        }
    }

    /// <summary>
    /// Row mode on maps of several row chunks, realistic tables (pools before the activation, the x term folded or not):
    /// each chunk's windows reach into the next chunk's first row (pool 9) or its own rows only.
    /// </summary>
    [Theory]
    [InlineData(140, 30, 16, 24, 0, false, 9)]
    [InlineData(60, 40, 8, 20, 1, false, 9)]
    [InlineData(70, 33, 12, 12, 1, true, 9)]
    [InlineData(96, 40, 16, 40, 0, false, 1)]
    [InlineData(64, 64, 20, 36, 0, false, 0)]
    [InlineData(50, 40, 10, 10, 1, true, 3)]
    [InlineData(80, 20, 3, 24, 1, false, 5)]
    [InlineData(37, 12, 6, 20, 1, false, 5)]
    [InlineData(66, 14, 5, 18, 1, false, 1)]
    public void RowModeShapes_FastEqualsScalar(int w, int h, int ic, int oc, int kernel, bool dw, int pool)
    {
        int rowMode = 0;
        for (int seed = 0; seed < 6; seed++)
        {
            Layer c = new(
                new KpuRegisterBuilder
                {
                    InW = w, InH = h, InC = dw ? oc : ic, OutC = oc, KernelType = kernel, Depthwise = dw, PoolType = pool, PadValue = 40 * seed,
                    ArgX = seed % 2 == 0 ? -(60 + seed) << 15 : -1000 - seed, ShrX = seed % 2 == 0 ? 15 : 3, ArgW = -70, ShrW = 2, ArgAdd = 300 * seed,
                    SrcRow = 100, DstRow = 16000,
                },
                1,
                false,
                false,
                seed + (w * 31));
            KpuConvLayer layer = BuildRealistic(c, new Random(c.Seed));
            KpuConvPlan plan = KpuConvPlan.For(layer);
            if (plan.PoolsFirst(pool) || (pool == 0 && plan.AllPrograms))
            {
                rowMode++;
            }

            Compare(c, layer);
        }

        Assert.True(rowMode >= 3, $"row mode in only {rowMode} of 6 layers");
    }

    [Fact]
    public void Activation_ExtremeValues_FastEqualsScalar()
    {
        Gen.Int.Sample(seed =>
        {
            var rnd = new Random(seed);
            Layer c = new(new KpuRegisterBuilder { InW = 8, InH = 1, InC = 1, OutC = 1, ArgX = 1 }, 1, rnd.Next(4) == 0, rnd.Next(6) == 0, seed);
            KpuConvLayer layer = Build(c, rnd);
            KpuConvPlan plan = KpuConvPlan.For(layer);
            int n = 64 + rnd.Next(20);
            int[] acc = new int[n];
            long[] xTerm = new long[n];
            for (int i = 0; i < n; i++)
            {
                acc[i] = rnd.Next(int.MinValue, int.MaxValue);
                xTerm[i] = rnd.Next(3) switch
                {
                    0 => rnd.NextInt64(long.MinValue, long.MaxValue),
                    1 => rnd.NextInt64(-(1L << 36), 1L << 36),
                    _ => plan.SegmentStart[rnd.Next(16)] == long.MaxValue ? 0 : plan.SegmentStart[rnd.Next(16)] + rnd.Next(-3, 4),
                };
            }

            byte[] got = new byte[n];
            KpuActivation.Apply(plan, 0, acc, xTerm, got);
            for (int i = 0; i < n; i++)
            {
                long v = unchecked(acc[i] + xTerm[i] + plan.Constant[0]);
                byte want = KpuActivation.Activate(KpuActivation.BatchNorm(v, layer.BatchNorm[0]), layer.Activation);
                Assert.True(want == got[i], $"seed {seed}: element {i} (v {v}): got {got[i]}, want {want}");
            }
        }, iter: 400);
    }

    [Fact]
    public void Interpreter_ForceScalar_AndThreads_GiveTheSameOutputs()
    {
        string? path = TestFiles.Model("maixpy_face_yolo2_v3");
        if (path is null)
        {
            return;
        }

        KModel model = KModel.Load(path);
        byte[] input = new byte[model.Inputs[0].ByteSize];
        new Random(5).NextBytes(input);
        byte[]? reference = null;
        foreach (RunOptions options in new[] { new RunOptions { ForceScalar = true }, new RunOptions { Threads = 1 }, new RunOptions { Threads = 2 } })
        {
            using var interp = new Interpreter(model, options);
            interp.SetInput(0, input);
            interp.Run();
            byte[] output = interp.GetOutput(0).ToArray();
            reference ??= output;
            Assert.Equal(reference, output);
        }
    }
}
