using K210Kpu.Hardware;
using K210Kpu.Tests.Hardware;
using K210Kpu.Tests.Kernels;
using static K210Kpu.Tests.V4.V4FileBuilder;

namespace K210Kpu.Tests.V4;

/// <summary>nnil programs, the NHWC CPU ops and kpu_conv2d on hand-built V4 files against spec references.</summary>
public class V4ProgramOpTests
{
    private const uint MainBytes = 1 << 16;

    private static float StdMin(float a, float b) => b < a ? b : a;

    private static float StdMax(float a, float b) => a < b ? b : a;

    private static float Clamp(float v, float lo, float hi) => v < lo ? lo : hi < v ? hi : v;

    private static float[] RunNnil(float[] x, byte[] program)
    {
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        uint bytes = (uint)(x.Length * 4);
        var body = new Body().Range(Main, F32, 0, bytes).Range(Main, F32, outAt, bytes).Bytes(program).ToArray();
        return V4Run.ToFloats(V4Run.InMain(blob, outAt, bytes, ArithmeticMode.Reference, MainBytes, (0x14, body)));
    }

    private static byte[] Ldc(float v) => [0x06, .. BitConverter.GetBytes(v)];

    [Fact]
    public void Nnil_Relu6OfAffine_MatchesSpec()
    {
        // clamp(x * 1.5 + 0.25, 0, 6) — ldc_r4 immediates are unaligned.
        byte[] program = [0x03, .. Ldc(1.5f), 0x42, .. Ldc(0.25f), 0x40, 0x04, .. Ldc(6f), 0x80, 0xA0];
        float[] x = [-3f, 0f, 1f, 2.5f, 3.9f, 10f];
        V4Run.AssertFloats([.. x.Select(v => Clamp((v * 1.5f) + 0.25f, 0f, 6f))], RunNnil(x, program), "nnil relu6");
    }

    [Fact]
    public void Nnil_EveryUnaryAndBinaryOpcode_MatchesSpec()
    {
        float[] x = [0.3f, 1.7f, 2.2f, 4f];
        for (byte u = 0x20; u <= 0x29; u++)
        {
            float[] got = RunNnil(x, [0x03, u, 0xA0]);
            float[] want = [.. x.Select(v => (u - 0x20) switch
            {
                0 => MathF.Abs(v),
                1 => MathF.Ceiling(v),
                2 => MathF.Cos(v),
                3 => MathF.Exp(v),
                4 => MathF.Floor(v),
                5 => MathF.Log(v),
                6 => -v,
                7 => 1f / MathF.Sqrt(v),
                8 => MathF.Sin(v),
                _ => v * v,
            })];
            V4Run.AssertFloats(want, got, $"nnil unary 0x{u:X2}");
        }

        for (byte b = 0x40; b <= 0x45; b++)
        {
            // a = x (dup'd then popped once to exercise dup/pop), b = 2
            float[] got = RunNnil(x, [0x03, 0x01, 0x02, 0x05, 0x05, 0x40, b, 0xA0]);
            float[] want = [.. x.Select(v => (b - 0x40) switch
            {
                0 => v + 2f,
                1 => v - 2f,
                2 => v * 2f,
                3 => v / 2f,
                4 => StdMin(v, 2f),
                _ => StdMax(v, 2f),
            })];
            V4Run.AssertFloats(want, got, $"nnil binary 0x{b:X2}");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x40, 0xA0 })] // underflow
    [InlineData(new byte[] { 0x03, 0x77, 0xA0 })] // unknown opcode
    public void Nnil_InvalidProgram_IsRejectedAtLoad(byte[] program)
    {
        Assert.Throws<KModelValidationException>(() => RunNnil([1f], program));
    }

    [Fact]
    public void Nnil_StackOverflow_IsRejectedAtLoad()
    {
        byte[] program = [.. Enumerable.Repeat((byte)0x04, 65), 0xA0];
        Assert.Throws<KModelValidationException>(() => RunNnil([1f], program));
    }

    [Fact]
    public void Nnil_TruncatedImmediate_IsAFormatError()
    {
        var body = new Body().Range(Main, F32, 0, 4).Range(Main, F32, 4, 4).U8(0).U8(0).U8(0).U8(0).U8(0).U8(0).U8(0).U8(0x06).ToArray();
        Assert.Throws<KModelFormatException>(() => V4Run.InMain(new byte[4], 4, 4, ArithmeticMode.Reference, 64, (0x14, body)));
    }

    [Theory]
    [InlineData(false, ArithmeticMode.Reference)]
    [InlineData(true, ArithmeticMode.Reference)]
    [InlineData(false, ArithmeticMode.Device)]
    public void CpuConv2D_Nhwc_MatchesSpec(bool depthwise, ArithmeticMode mode)
    {
        var rnd = new Random(depthwise ? 1 : 2);
        (int n, int h, int w, int c, int k, int stride) = (1, 5, 6, 3, 3, 2);
        int oc = depthwise ? c : 4;
        (int pt, int pb, int pl, int pr) = (1, 1, 0, 1);
        int oh = ((h + pt + pb - k) / stride) + 1, ow = ((w + pl + pr - k) / stride) + 1;
        float[] x = V4Run.RandomFloats(rnd, n * h * w * c);
        float[] weights = V4Run.RandomFloats(rnd, depthwise ? c * k * k : oc * k * k * c);
        float[] bias = V4Run.RandomFloats(rnd, oc);
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        uint outBytes = (uint)(n * oh * ow * oc * 4);
        var body = new Body().Range(Main, F32, 0, (uint)blob.Length).Range(Main, F32, outAt, outBytes).Shape(n, h, w, c);
        if (!depthwise)
        {
            body.I32(oc);
        }

        body.Window(pt, pb, pl, pr, k, k, stride, stride, 1, 1).Activation(-2f, 2f).F32s(weights).F32s(bias);
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, outBytes, mode, MainBytes, (depthwise ? 0x1002u : 0x1001u, body.ToArray())));
        var want = new List<float>();
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int o = 0; o < oc; o++)
                {
                    float v = bias[o];
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int y = (oy * stride) - pt + ky, xx = (ox * stride) - pl + kx;
                            if (y < 0 || y >= h || xx < 0 || xx >= w)
                            {
                                continue;
                            }

                            for (int ic = depthwise ? o : 0; ic < (depthwise ? o + 1 : c); ic++)
                            {
                                float wv = depthwise ? weights[(((o * k) + ky) * k) + kx] : weights[(((((o * k) + ky) * k) + kx) * c) + ic];
                                float xv = x[(((y * w) + xx) * c) + ic];
                                v = mode == ArithmeticMode.Device ? MathF.FusedMultiplyAdd(xv, wv, v) : v + (xv * wv);
                            }
                        }
                    }

                    want.Add(Clamp(v, -2f, 2f));
                }
            }
        }

        V4Run.AssertFloats([.. want], got, depthwise ? "cpu_depthwise_conv2d" : "cpu_conv2d");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void CpuReduceWindow2D_Nhwc_MatchesSpec(int op)
    {
        var rnd = new Random(op);
        (int h, int w, int c, int k, int stride) = (5, 4, 3, 2, 2);
        (int pt, int pb, int pl, int pr) = (0, 1, 1, 0);
        int oh = ((h + pt + pb - k) / stride) + 1, ow = ((w + pl + pr - k) / stride) + 1;
        float[] x = V4Run.RandomFloats(rnd, h * w * c);
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        uint outBytes = (uint)(oh * ow * c * 4);
        float init = op switch { 1 => float.MaxValue, 2 => -float.MaxValue, _ => 0f };
        var body = new Body().Range(Main, F32, 0, (uint)blob.Length).Range(Main, F32, outAt, outBytes).U32((uint)op).Shape(1, h, w, c)
            .Window(pt, pb, pl, pr, k, k, stride, stride, 1, 1).F32(init).Activation().ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, outBytes, ArithmeticMode.Reference, MainBytes, (0x1003, body)));
        var want = new List<float>();
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    float acc = init;
                    int count = 0;
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int y = (oy * stride) - pt + ky, xx = (ox * stride) - pl + kx;
                            if (y >= 0 && y < h && xx >= 0 && xx < w)
                            {
                                float v = x[(((y * w) + xx) * c) + ch];
                                acc = op switch { 1 => StdMin(acc, v), 2 => StdMax(acc, v), _ => acc + v };
                                count++;
                            }
                        }
                    }

                    want.Add(op == 0 ? acc / count : acc);
                }
            }
        }

        V4Run.AssertFloats([.. want], got, $"cpu_reduce_window2d {op}");
    }

    [Fact]
    public void CpuReduceWindow2D_Sum_IsRejected()
    {
        var body = new Body().Range(Main, F32, 0, 16).Range(Main, F32, 16, 16).U32(3).Shape(1, 2, 2, 1)
            .Window(0, 0, 0, 0, 1, 1, 1, 1, 1, 1).F32(0).Activation().ToArray();
        Assert.Throws<KModelValidationException>(() => V4Run.InMain(new byte[16], 16, 16, ArithmeticMode.Reference, 64, (0x1003, body)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CpuQuantizedConv2D_SubtractsOffsets_WeightsBeforeBias(bool depthwise)
    {
        var rnd = new Random(depthwise ? 11 : 12);
        (int h, int w, int c, int k) = (4, 5, 3, 3);
        int oc = depthwise ? c : 2;
        int oh = h - k + 1 + 2, ow = w - k + 1 + 2; // pad 1 all round, stride 1
        byte[] x = new byte[h * w * c];
        byte[] weights = new byte[depthwise ? c * k * k : oc * k * k * c];
        rnd.NextBytes(x);
        rnd.NextBytes(weights);
        int[] bias = [.. Enumerable.Range(0, oc).Select(_ => rnd.Next(-2000, 2000))];
        (int inOff, int wOff, int oMul, int oSh, int oOff) = (128, 3, 20000, 21, 9);
        uint outAt = (uint)x.Length;
        var body = new Body().Range(Main, U8, 0, (uint)x.Length).Range(Main, U8, outAt, (uint)(oh * ow * oc)).Shape(1, h, w, c);
        if (!depthwise)
        {
            body.I32(oc);
        }

        body.Window(1, 1, 1, 1, k, k, 1, 1, 1, 1).I32(inOff).I32(wOff).I32(oMul).I32(oSh).I32(oOff).Bytes(weights).I32s(bias);
        byte[] got = V4Run.InMain(x, outAt, (uint)(oh * ow * oc), ArithmeticMode.Reference, MainBytes, (depthwise ? 0x1005u : 0x1004u, body.ToArray()));
        var want = new List<byte>();
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int o = 0; o < oc; o++)
                {
                    int acc = bias[o];
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int y = oy - 1 + ky, xx = ox - 1 + kx;
                            if (y < 0 || y >= h || xx < 0 || xx >= w)
                            {
                                continue;
                            }

                            for (int ic = depthwise ? o : 0; ic < (depthwise ? o + 1 : c); ic++)
                            {
                                int wv = depthwise ? weights[(((o * k) + ky) * k) + kx] : weights[(((((o * k) + ky) * k) + kx) * c) + ic];
                                acc += (x[(((y * w) + xx) * c) + ic] - inOff) * (wv - wOff);
                            }
                        }
                    }

                    long t = (long)acc * oMul;
                    int r = (int)((t + (1L << (oSh - 1))) >> oSh);
                    want.Add((byte)Math.Clamp(r + oOff, 0, 255));
                }
            }
        }

        Assert.Equal(want.ToArray(), got);
    }

    public static TheoryData<int, int, bool, int> KpuCases()
    {
        var d = new TheoryData<int, int, bool, int>();
        for (int pool = 0; pool <= 9; pool++)
        {
            d.Add(pool, 1, false, 20);
        }

        d.Add(0, 0, false, 40);
        d.Add(1, 1, true, 12);
        d.Add(2, 0, true, 64);
        return d;
    }

    [Theory]
    [MemberData(nameof(KpuCases))]
    public void KpuConv2D_EveryPoolType_HandBuiltFile_MatchesSpecReference(int pool, int kernelType, bool depthwise, int width)
    {
        var rnd = new Random((pool * 10) + kernelType);
        int inC = 3, outC = depthwise ? 3 : 5, height = 8;
        var regs = new KpuRegisterBuilder
        {
            InW = width,
            InH = height,
            InC = inC,
            OutC = outC,
            KernelType = kernelType,
            PoolType = pool,
            Depthwise = depthwise,
            SrcRow = 0,
            DstRow = 2048,
            PadValue = 17,
            ArgX = -40,
            ArgW = -120,
            ArgAdd = 4800,
        };
        int k = kernelType == 0 ? 1 : 3;
        byte[] weights = new byte[(depthwise ? outC : inC * outC) * k * k];
        rnd.NextBytes(weights);
        var bnWords = Enumerable.Range(0, outC).Select(_ => KpuRegisterBuilder.BatchNorm(rnd.Next(100, 3000), rnd.Next(-50000, 50000), rnd.Next(4, 12))).ToArray();
        byte[] act = KpuRegisterBuilder.SimpleActivation(start: -200, mul: 3, shift: 6, add: 5);
        byte[] input = new byte[inC * height * width];
        rnd.NextBytes(input);
        int outBytes = regs.OutW * regs.OutH * outC;

        // Body: main_mem_output, batches, reserved, registers (skip counts patched in), skip, BN, skip, act, skip, weights.
        byte[] registers = regs.Bytes();
        ulong[] words = regs.Words();
        words[4] |= 3UL << 32; // bwsx_base_addr: 3 padding bytes before the BN table
        words[7] |= 5UL << 32; // active_addr: 5 padding bytes before the activation table
        words[5] |= 2UL << 32; // para_start_addr: 2 padding bytes before the weights
        for (int i = 0; i < 12; i++)
        {
            BitConverter.GetBytes(words[i]).CopyTo(registers, i * 8);
        }

        uint mainOut = 4096;
        var body = new Body().Range(Main, U8, mainOut, (uint)outBytes).I32(1).I32(0).Bytes(registers)
            .Bytes(new byte[3]).Bytes(bnWords.SelectMany(BitConverter.GetBytes)).Bytes(new byte[5]).Bytes(act).Bytes(new byte[2]).Bytes(weights);
        var b = new V4FileBuilder { MainMemory = 8192 };
        b.Input(Kpu, U8, 0, (uint)(KpuRam.RowsFor(width, height, inC) * 64), 1, inC, height, width);
        b.Output(Main, U8, mainOut, (uint)outBytes);
        b.Node(0x2002, body.ToArray());
        KModel m = KModel.Load(b.Build());
        Assert.NotNull(m.Layers[0].Kpu);
        Assert.Equal(pool, m.Layers[0].Kpu!.PoolType);
        using var interp = new Interpreter(m);
        interp.SetInput(0, input);
        interp.Run();

        var ram = new KpuRam();
        ram.Upload(input, 0, width, height, inC);
        var a = new KpuLayerArgument(regs.Bytes());
        int perChannel = (depthwise ? 1 : inC) * k * k;
        int[][] w = [.. Enumerable.Range(0, outC).Select(o => weights.Skip(o * perChannel).Take(perChannel).Select(v => (int)v).ToArray())];
        byte[] want = ReferenceKpu.Run(ram, a, w, [.. bnWords.Select(KpuBatchNorm.FromWord)], KpuTables.ReadActivation(act));
        Assert.Equal(want, interp.GetOutput(0).ToArray());
        Assert.Equal(want, interp.ReadLayerOutput(0));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(20)]
    public void KpuInput_DenseOrRowLayout_IsUploaded(int width)
    {
        // A kpu_upload-free model whose input lives in KPU RAM: the caller's dense NCHW bytes land in the row layout.
        int c = 2, h = 3;
        byte[] input = [.. Enumerable.Range(0, c * h * width).Select(i => (byte)i)];
        var b = new V4FileBuilder { MainMemory = 1024 };
        uint kpuBytes = (uint)(KpuRam.RowsFor(width, h, c) * 64);
        b.Input(Kpu, U8, 128, kpuBytes, 1, c, h, width);
        b.Output(Kpu, U8, 128, kpuBytes);
        b.Node(0x09, new Body().Range(Kpu, U8, 128, 4).Range(Main, U8, 0, 4).ToArray());
        using var interp = new Interpreter(KModel.Load(b.Build()));
        Assert.Equal(c * h * width, interp.Model.Inputs[0].ByteSize);
        interp.SetInput(0, input);
        var ram = new KpuRam();
        ram.Upload(input, 2, width, h, c);
        Assert.Equal(ram.Data.AsSpan(128, (int)kpuBytes).ToArray(), interp.GetOutput(0).ToArray());
        if (width % 64 == 0)
        {
            Assert.Equal(input, interp.GetOutput(0).ToArray());
        }
    }

    [Fact]
    public void KpuUpload_ThenReadLayerOutput_IsDenseNchw()
    {
        int c = 3, h = 4, w = 10;
        byte[] input = [.. Enumerable.Range(0, c * h * w).Select(i => (byte)(i * 3))];
        var b = new V4FileBuilder { MainMemory = 1024 };
        b.Input(Main, U8, 0, (uint)input.Length, 1, c, h, w);
        b.Output(Kpu, U8, 64 * 10, (uint)(KpuRam.RowsFor(w, h, c) * 64));
        b.Node(0x2001, new Body().Range(Main, U8, 0, (uint)input.Length).Range(Kpu, U8, 64 * 10, (uint)(KpuRam.RowsFor(w, h, c) * 64)).Shape(1, c, h, w).ToArray());
        using var interp = new Interpreter(KModel.Load(b.Build()));
        interp.SetInput(0, input);
        interp.Run();
        Assert.Equal(input, interp.ReadLayerOutput(0));
        Assert.Equal("KPUUpload", interp.Model.Layers[0].Name);
        Assert.Equal(MemoryKind.Kpu, interp.Model.Layers[0].OutputMemory);
    }
}
