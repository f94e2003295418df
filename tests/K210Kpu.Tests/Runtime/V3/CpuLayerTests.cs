using K210Kpu.Tests.Model.V3;
using static K210Kpu.Tests.Runtime.V3.V3Run;

namespace K210Kpu.Tests.Runtime.V3;

/// <summary>
/// Every V3 CPU layer the goldens do not cover, on small hand-built files, against scalar references written from
/// kpu-and-kmodel-v3 §4.8 (the SDK's kpu.c semantics). Layer 0 is a FULLY_CONNECTED whose float input is placed at main
/// address 0 verbatim, so the layer under test (layer 1) reads arbitrary bytes from there.
/// </summary>
public class CpuLayerTests
{
    private const uint Main = 4096;
    private const uint Scratch = Main - 4;

    private static V3ModelBuilder WithInput(uint inputFloats) => new V3ModelBuilder { MainMemory = Main }.InputStage(inputFloats, Scratch);

    private static float TwoRoundings(float a, float b, float c) => (float)((double)(float)((double)a * b) + c);

    [Fact]
    public void Add_SumsElementwise()
    {
        float[] a = [1.5f, -2f, 3.25f, 1e-8f], b = [0.25f, 2f, -1f, 1f];
        byte[] model = WithInput(8).Layer(1, 0, 0u, 16u, 2048u, 4u).Output(2048, 16).Build();
        using Interpreter it = Run(model, Bytes([.. a, .. b]));
        Assert.Equal(a.Zip(b, (x, y) => x + y).ToArray(), Floats(it.GetOutput(0).ToArray()));
        Assert.Equal("Add", it.Model.Layers[1].Name);
    }

    private static long SdkCarryShift(long v, int s)
    {
        if (s <= 0)
        {
            return v;
        }

        v >>= s - 1;
        return (v & 1) != 0 ? (v < 0 ? (v >> 1) - 1 : (v >> 1) + 1) : v >> 1;
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(2, 5)]
    public void QuantizedAdd_ProcessesWholeGroupsOfEight(int shiftA, int shiftB)
    {
        var rnd = new Random(shiftA * 10 + shiftB);
        var input = new byte[64];
        rnd.NextBytes(input);
        const int count = 13;
        int offA = -17, mulA = 1500, offB = -3, mulB = -900, offO = 100, mulO = 7000, shO = 12;
        byte[] model = WithInput(16)
            .Layer(2, 0, 0u, 32u, 1024u, (uint)count, offA, mulA, shiftA, offB, mulB, shiftB, offO, mulO, shO)
            .Output(1024, 16)
            .Build();
        using Interpreter it = Run(model, input);
        byte[] got = it.GetOutput(0).ToArray();
        for (int i = 0; i < 16; i++)
        {
            long va = input[i] + offA, vb = input[32 + i] + offB;
            long v = shiftA == shiftB ? ((va * mulA) + (vb * mulB)) >> shiftA : ((va * mulA) >> shiftA) + ((vb * mulB) >> shiftB);
            long o = SdkCarryShift(v * mulO, shO) + offO;
            Assert.True((byte)Math.Clamp(o, 0, 255) == got[i], $"element {i} (count {count}: 13..15 are the round-up quirk)");
        }

        Assert.Equal(count, it.ReadLayerOutput(1).Length);
    }

    private static byte[] PoolWindowFields(int inW, int inH, int c, int outW, int outH, int k, int stride, int pad) =>
        V3ModelBuilder.Fields([(uint)inW, (uint)inH, (uint)c, (uint)outW, (uint)outH, (uint)c, (uint)k, (uint)k, (uint)stride, (uint)stride, (uint)pad, (uint)pad]);

    [Fact]
    public void QuantizedMaxPool_SkipsTapsOutsideTheInput()
    {
        var rnd = new Random(5);
        var input = new byte[2 * 5 * 5];
        rnd.NextBytes(input);
        byte[] model = WithInput(13).Layer(8, 0, 0u, 1024u, PoolWindowFields(5, 5, 2, 3, 3, 3, 2, 1)).Output(1024, 18).Build();
        using Interpreter it = Run(model, Padded(input, 13));
        byte[] got = it.GetOutput(0).ToArray();
        for (int c = 0; c < 2; c++)
        {
            for (int oy = 0; oy < 3; oy++)
            {
                for (int ox = 0; ox < 3; ox++)
                {
                    int m = 0;
                    for (int y = (oy * 2) - 1; y < (oy * 2) + 2; y++)
                    {
                        for (int x = (ox * 2) - 1; x < (ox * 2) + 2; x++)
                        {
                            if (y >= 0 && y < 5 && x >= 0 && x < 5)
                            {
                                m = Math.Max(m, input[(c * 25) + (y * 5) + x]);
                            }
                        }
                    }

                    Assert.Equal(m, got[(c * 9) + (oy * 3) + ox]);
                }
            }
        }

        Assert.Equal([1, 2, 3, 3], it.Model.Layers[1].OutputShape!);
    }

    [Fact]
    public void AveragePool_DividesByInRangeTaps_AndIgnoresAct()
    {
        var rnd = new Random(9);
        float[] input = Enumerable.Range(0, 2 * 5 * 5).Select(_ => (float)(rnd.NextDouble() * 10 - 5)).ToArray();
        byte[] fields = [.. PoolWindowFields(5, 5, 2, 3, 3, 3, 2, 1), .. V3ModelBuilder.Fields([1u])];
        byte[] model = WithInput(50).Layer(9, 0, 0u, 1024u, fields).Output(1024, 72).Build();
        using Interpreter it = Run(model, Bytes(input));
        float[] got = Floats(it.GetOutput(0).ToArray());
        for (int c = 0; c < 2; c++)
        {
            for (int oy = 0; oy < 3; oy++)
            {
                for (int ox = 0; ox < 3; ox++)
                {
                    float sum = 0f, n = 0f;
                    for (int y = (oy * 2) - 1; y < (oy * 2) + 2; y++)
                    {
                        for (int x = (ox * 2) - 1; x < (ox * 2) + 2; x++)
                        {
                            if (y >= 0 && y < 5 && x >= 0 && x < 5)
                            {
                                sum += input[(c * 25) + (y * 5) + x];
                                n++;
                            }
                        }
                    }

                    Assert.Equal(sum / n, got[(c * 9) + (oy * 3) + ox]);
                }
            }
        }

        Assert.Contains(got, v => v < 0); // a ReLU would have removed these
    }

    [Fact]
    public void Quantize_RoundsHalfAwayFromZero_AndClamps()
    {
        float[] x = [1.0f, 1.5f, -1f, 300f, 0.25f, 2.75f, float.NaN, 3e9f, -3e9f, 127.75f];
        byte[] model = WithInput(10).Layer(11, 0, 0u, 1024u, 10u, 0.5f, 0.25f).Output(1024, 10).Build();
        using Interpreter reference = Run(model, Bytes(x));
        // (x - 0.25) * 2: 1.5→2, 2.5→3, -2.5→-3→0, 599.5→255, 0, 5, NaN, 6e9, -6e9, 255
        Assert.Equal(new byte[] { 2, 3, 0, 255, 0, 5, 0, 0, 0, 255 }, reference.GetOutput(0).ToArray());
        using Interpreter device = Run(model, Bytes(x), ArithmeticMode.Device);
        Assert.Equal(new byte[] { 2, 3, 0, 255, 0, 5, 255, 255, 0, 255 }, device.GetOutput(0).ToArray());
    }

    [Fact]
    public void Dequantize_RoundsTwiceInReference_OnceInDevice()
    {
        byte[] q = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        const float scale = 0.24219520390033722f, bias = -57.1580696105957f;
        byte[] model = WithInput(64).Layer(12, 0, 0u, 1024u, 256u, scale, bias).Output(1024, 1024).Build();
        using Interpreter reference = Run(model, q);
        using Interpreter device = Run(model, q, ArithmeticMode.Device);
        float[] r = Floats(reference.GetOutput(0).ToArray()), d = Floats(device.GetOutput(0).ToArray());
        for (int i = 0; i < 256; i++)
        {
            Assert.Equal(TwoRoundings(i, scale, bias), r[i]);
            Assert.Equal(MathF.FusedMultiplyAdd(i, scale, bias), d[i]);
        }

        Assert.NotEqual(r, d);
    }

    [Fact]
    public void ChannelwiseDequantize_UsesEachChannelsParameters()
    {
        byte[] q = [0, 1, 2, 3, 250, 251, 252, 253];
        float[] sb = [0.5f, -1f, 0.1f, 3f];
        byte[] model = WithInput(2).Layer(24, 0, 0u, 1024u, 2u, 4u, sb).Output(1024, 32).Build();
        using Interpreter it = Run(model, q);
        float[] got = Floats(it.GetOutput(0).ToArray());
        for (int i = 0; i < 8; i++)
        {
            int c = i / 4;
            Assert.Equal(TwoRoundings(q[i], sb[c * 2], sb[(c * 2) + 1]), got[i]);
        }

        using Interpreter device = Run(model, q, ArithmeticMode.Device);
        float[] d = Floats(device.GetOutput(0).ToArray());
        Assert.Equal(MathF.FusedMultiplyAdd(q[5], sb[2], sb[3]), d[5]);
    }

    [Fact]
    public void Requantize_LooksUpTheTable()
    {
        byte[] table = Enumerable.Range(0, 256).Select(i => (byte)(255 - i)).ToArray();
        byte[] input = [0, 1, 2, 200, 255, 7, 9, 10];
        byte[] model = WithInput(2).Layer(13, 0, 0u, 1024u, 8u, table).Output(1024, 8).Build();
        using Interpreter it = Run(model, input);
        Assert.Equal(input.Select(b => (byte)(255 - b)).ToArray(), it.GetOutput(0).ToArray());
    }

    [Fact]
    public void L2Normalization_ScalesByInverseRoot_WithFloor()
    {
        float[] x = [3f, 4f, 0.5f, -1.25f];
        byte[] model = WithInput(4).Layer(14, 0, 0u, 1024u, 4u).Output(1024, 16).Build();
        using Interpreter it = Run(model, Bytes(x));
        float sum = 0f;
        foreach (float v in x)
        {
            sum += v * v;
        }

        float inv = 1f / MathF.Sqrt(sum);
        Assert.Equal(x.Select(v => v * inv).ToArray(), Floats(it.GetOutput(0).ToArray()));

        using Interpreter zeros = Run(model, Bytes(0f, 0f, 1e-30f, 0f));
        Assert.Equal(1e-30f * (1f / MathF.Sqrt(1e-10f)), Floats(zeros.GetOutput(0).ToArray())[2]);
    }

    [Fact]
    public void Softmax_StartsItsMaximumAtFltMin()
    {
        float[] x = [-3f, -1f, -2f, -0.5f];
        byte[] model = WithInput(4).Layer(15, 0, 0u, 1024u, 4u).Output(1024, 16).Build();
        using Interpreter it = Run(model, Bytes(x));
        const float fltMin = 1.17549435e-38f;
        float[] e = x.Select(v => MathF.Exp(v - fltMin)).ToArray();
        float sum = 0f;
        foreach (float v in e)
        {
            sum += v;
        }

        Assert.Equal(e.Select(v => v / sum).ToArray(), Floats(it.GetOutput(0).ToArray()));
    }

    [Fact]
    public void Logistic_IsOneOverOnePlusExp()
    {
        float[] x = [-3f, 0f, 0.75f, 20f];
        byte[] model = WithInput(4).Layer(25, 0, 0u, 1024u, 4u).Output(1024, 16).Build();
        using Interpreter it = Run(model, Bytes(x));
        Assert.Equal(x.Select(v => 1f / (1f + MathF.Exp(-v))).ToArray(), Floats(it.GetOutput(0).ToArray()));
    }

    [Theory]
    [InlineData(16u)]
    [InlineData(17u)]
    public void Concat_CopiesInputsInOrder(uint type)
    {
        byte[] input = Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray();
        byte[] model = WithInput(8).Layer(type, 0, 1024u, 2u, 20u, 5u, 4u, 8u).Output(1024, 13).Build();
        using Interpreter it = Run(model, input);
        Assert.Equal([.. input.AsSpan(20, 5).ToArray(), .. input.AsSpan(4, 8).ToArray()], it.GetOutput(0).ToArray());
    }

    [Fact]
    public void TensorflowFlatten_TurnsChwIntoHwc()
    {
        float[] x = Enumerable.Range(0, 2 * 3 * 4).Select(i => (float)i).ToArray(); // [c=2][h=3][w=4]
        byte[] model = WithInput(24).Layer(20, 0, 0u, 1024u, 4u, 3u, 2u).Output(1024, 96).Build();
        using Interpreter it = Run(model, Bytes(x));
        var want = new List<float>();
        for (int y = 0; y < 3; y++)
        {
            for (int xx = 0; xx < 4; xx++)
            {
                for (int c = 0; c < 2; c++)
                {
                    want.Add(x[(((c * 3) + y) * 4) + xx]);
                }
            }
        }

        Assert.Equal(want.ToArray(), Floats(it.GetOutput(0).ToArray()));
        Assert.Equal("TFFlatten", it.Model.Layers[1].Name);
    }

    private static int Nearest(int o, int inSize, int outSize)
    {
        float scale = (float)inSize / outSize;
        return (int)Math.Min(MathF.Floor(o * scale), inSize - 1);
    }

    [Theory]
    [InlineData(3, 2, 7, 5)]
    [InlineData(8, 6, 3, 2)]
    public void ResizeNearestNeighbor_FloatAndQuantized(int inW, int inH, int outW, int outH)
    {
        const int c = 2;
        float[] x = Enumerable.Range(0, c * inW * inH).Select(i => i * 1.5f).ToArray();
        byte[] model = WithInput((uint)x.Length).Layer(22, 0, 0u, 1024u, (uint)inW, (uint)inH, (uint)c, (uint)outW, (uint)outH, 1u)
            .Output(1024, (uint)(c * outW * outH * 4)).Build();
        byte[] qmodel = WithInput((uint)x.Length).Layer(23, 0, 0u, 1024u, (uint)inW, (uint)inH, (uint)c, (uint)outW, (uint)outH, 0u)
            .Output(1024, (uint)(c * outW * outH)).Build();
        using Interpreter f = Run(model, Bytes(x));
        byte[] qin = Padded(Enumerable.Range(0, c * inW * inH).Select(i => (byte)(i * 7)).ToArray(), x.Length);
        using Interpreter q = Run(qmodel, qin);
        float[] gotF = Floats(f.GetOutput(0).ToArray());
        byte[] gotQ = q.GetOutput(0).ToArray();
        int k = 0;
        for (int ch = 0; ch < c; ch++)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    int src = (ch * inW * inH) + (Nearest(oy, inH, outH) * inW) + Nearest(ox, inW, outW);
                    Assert.Equal(x[src], gotF[k]);
                    Assert.Equal(qin[src], gotQ[k]);
                    k++;
                }
            }
        }
    }

    [Fact]
    public void GlobalAveragePool_SumsSequentiallyThenDivides()
    {
        var rnd = new Random(2);
        float[] x = Enumerable.Range(0, 3 * 7).Select(_ => (float)rnd.NextDouble()).ToArray();
        byte[] model = WithInput(21).Layer(5, 0, 0u, 1024u, 7u, 3u).Output(1024, 12).Build();
        using Interpreter it = Run(model, Bytes(x));
        float[] got = Floats(it.GetOutput(0).ToArray());
        for (int c = 0; c < 3; c++)
        {
            float s = 0f;
            for (int i = 0; i < 7; i++)
            {
                s += x[(c * 7) + i];
            }

            Assert.Equal(s / 7f, got[c]);
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(2u)]
    public void FullyConnected_AppliesItsActivation(uint act)
    {
        const int inC = 8, outC = 5;
        var rnd = new Random((int)act);
        float[] w = Enumerable.Range(0, (inC * outC) + outC).Select(_ => (float)((rnd.NextDouble() * 4) - 2)).ToArray();
        float[] x = Enumerable.Range(0, inC).Select(_ => (float)((rnd.NextDouble() * 6) - 3)).ToArray();
        byte[] model = new V3ModelBuilder { MainMemory = 256 }.Layer(18, 0, 0u, 64u, (uint)inC, (uint)outC, act, w).Output(64, outC * 4).Build();
        using Interpreter reference = Run(model, Bytes(x));
        using Interpreter device = Run(model, Bytes(x), ArithmeticMode.Device);
        float[] r = Floats(reference.GetOutput(0).ToArray()), d = Floats(device.GetOutput(0).ToArray());
        for (int o = 0; o < outC; o++)
        {
            float s = 0f, sf = 0f;
            for (int i = 0; i < inC; i++)
            {
                s = (float)(s + (double)(float)((double)x[i] * w[(o * inC) + i]));
                sf = MathF.FusedMultiplyAdd(x[i], w[(o * inC) + i], sf);
            }

            float Act(float v) => act switch { 1 => Math.Max(v, 0f), 2 => Math.Min(Math.Max(v, 0f), 6f), _ => v };
            Assert.Equal(Act(s + w[(inC * outC) + o]), r[o]);
            Assert.Equal(Act(sf + w[(inC * outC) + o]), d[o]);
        }

        Assert.Equal(ElementType.Float32, reference.Model.Inputs[0].ElementType);
        Assert.Equal(inC * 4, reference.Model.Inputs[0].ByteSize);
        Assert.Equal(inC * outC, reference.Model.Layers[0].Macs);
    }
}
