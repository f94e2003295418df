using CsCheck;
using static K210Kpu.Tests.V4.V4FileBuilder;

namespace K210Kpu.Tests.V4;

/// <summary>
/// The float32 neutral ops on hand-built one-node V4 files, against scalar references written from the spec
/// (kmodel-v4 §5), bit for bit.
/// </summary>
public class V4FloatOpTests
{
    private const uint MainBytes = 1 << 16;

    private static int Off(int[] s, int a, int b, int c, int d) => (((((a * s[1]) + b) * s[2]) + c) * s[3]) + d;

    private static float StdMin(float a, float b) => b < a ? b : a;

    private static float StdMax(float a, float b) => a < b ? b : a;

    private static float Clamp(float v, float lo, float hi) => v < lo ? lo : hi < v ? hi : v;

    public static TheoryData<int, bool> BinaryCases()
    {
        var d = new TheoryData<int, bool>();
        for (int op = 0; op < 6; op++)
        {
            d.Add(op, false);
            d.Add(op, true);
        }

        return d;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_EveryOp_MatchesSpec(int op, bool broadcast)
    {
        var rnd = new Random(op);
        int[] aShape = [1, 2, 3, 4];
        int[] bShape = broadcast ? [1, 2, 1, 4] : [1, 2, 3, 4];
        int[] oShape = [1, 2, 3, 4];
        float[] a = V4Run.RandomFloats(rnd, 24);
        float[] b = V4Run.RandomFloats(rnd, broadcast ? 8 : 24);
        (byte[] blob, uint[] at) = V4Run.Pack(a, b);
        uint outAt = (uint)blob.Length;
        (float lo, float hi) = (-2.5f, 3f);
        var body = new Body().Range(Main, F32, at[0], (uint)a.Length * 4).Range(Main, F32, at[1], (uint)b.Length * 4).Range(Main, F32, outAt, 96)
            .U32((uint)op).Shape(aShape).Shape(bShape).Shape(oShape).Activation(lo, hi).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, 96, ArithmeticMode.Reference, MainBytes, (0x00, body)));
        var want = new float[24];
        for (int c = 0; c < 2; c++)
        {
            for (int y = 0; y < 3; y++)
            {
                for (int x = 0; x < 4; x++)
                {
                    float av = a[Off(aShape, 0, c, y, x)];
                    float bv = b[Off(bShape, 0, c, broadcast ? 0 : y, x)];
                    float r = op switch
                    {
                        0 => av + bv,
                        1 => av - bv,
                        2 => av * bv,
                        3 => av / bv,
                        4 => StdMin(av, bv),
                        _ => StdMax(av, bv),
                    };
                    want[Off(oShape, 0, c, y, x)] = Clamp(r, lo, hi);
                }
            }
        }

        V4Run.AssertFloats(want, got, $"binary op {op}");
    }

    public static TheoryData<int> UnaryOps => new(Enumerable.Range(0, 10));

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_EveryOp_MatchesSpec(int op)
    {
        float[] x = [0.5f, -1.25f, 2.75f, 3.5f, 0.1f, 7f, -0.0f, 1e-3f];
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        var body = new Body().Range(Main, F32, 0, 32).Range(Main, F32, outAt, 32).U32((uint)op).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, 32, ArithmeticMode.Reference, MainBytes, (0x0E, body)));
        float[] want = [.. x.Select(v => op switch
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
        V4Run.AssertFloats(want, got, $"unary op {op}");
    }

    public static TheoryData<int> ReduceOps => new(Enumerable.Range(0, 4));

    [Theory]
    [MemberData(nameof(ReduceOps))]
    public void Reduce_EveryOp_MatchesSpec(int op)
    {
        var rnd = new Random(10 + op);
        int[] inShape = [1, 3, 4, 5];
        int[] outShape = [1, 3, 1, 1];
        float[] x = V4Run.RandomFloats(rnd, 60);
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        float init = op switch { 1 => float.MaxValue, 2 => -float.MaxValue, _ => 0f };
        var body = new Body().Range(Main, F32, 0, 240).Range(Main, F32, outAt, 12).U32((uint)op).Shape(inShape).Shape(outShape).F32(init).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, 12, ArithmeticMode.Reference, MainBytes, (0x07, body)));
        var want = new float[3];
        for (int c = 0; c < 3; c++)
        {
            float acc = init;
            for (int i = 0; i < 20; i++)
            {
                float v = x[(c * 20) + i];
                acc = op switch { 1 => StdMin(acc, v), 2 => StdMax(acc, v), _ => acc + v };
            }

            // Mean multiplies by output elements / input elements of the ranges (3 / 60), it does not divide by 20.
            want[c] = op == 0 ? acc * (3f / 60f) : acc;
        }

        V4Run.AssertFloats(want, got, $"reduce op {op}");
    }

    public static TheoryData<int, int, int, int> WindowCases()
    {
        var d = new TheoryData<int, int, int, int>();
        for (int op = 0; op < 4; op++)
        {
            d.Add(op, 3, 2, 1);
            d.Add(op, 2, 1, 2);
        }

        return d;
    }

    [Theory]
    [MemberData(nameof(WindowCases))]
    public void ReduceWindow2D_EveryOp_MatchesSpec(int op, int filter, int stride, int dilation)
    {
        var rnd = new Random(op * 7 + filter);
        int n = 1, c = 2, h = 7, w = 6;
        (int pt, int pb, int pl, int pr) = (1, 2, 1, 0);
        float[] x = V4Run.RandomFloats(rnd, n * c * h * w);
        int oh = (h + pt + pb - (((filter - 1) * dilation) + 1) + stride) / stride;
        int ow = (w + pl + pr - (((filter - 1) * dilation) + 1) + stride) / stride;
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        uint outBytes = (uint)(n * c * oh * ow * 4);
        float init = op switch { 1 => float.MaxValue, 2 => -float.MaxValue, _ => 0f };
        var body = new Body().Range(Main, F32, 0, (uint)x.Length * 4).Range(Main, F32, outAt, outBytes).U32((uint)op).Shape(n, c, h, w)
            .Window(pt, pb, pl, pr, filter, filter, stride, stride, dilation, dilation).F32(init).Activation(-1.5f, 2.5f).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, outBytes, ArithmeticMode.Reference, MainBytes, (0x08, body)));
        var want = new float[n * c * oh * ow];
        for (int ch = 0; ch < c; ch++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    float acc = init;
                    int count = 0;
                    for (int ky = 0; ky < filter; ky++)
                    {
                        for (int kx = 0; kx < filter; kx++)
                        {
                            int y = (oy * stride) - pt + (ky * dilation), xx = (ox * stride) - pl + (kx * dilation);
                            if (y < 0 || y >= h || xx < 0 || xx >= w)
                            {
                                continue; // padded taps are skipped and not counted
                            }

                            float v = x[(((ch * h) + y) * w) + xx];
                            acc = op switch { 1 => StdMin(acc, v), 2 => StdMax(acc, v), _ => acc + v };
                            count++;
                        }
                    }

                    want[(((ch * oh) + oy) * ow) + ox] = Clamp(op == 0 ? acc / count : acc, -1.5f, 2.5f);
                }
            }
        }

        V4Run.AssertFloats(want, got, $"reduce_window2d op {op}");
    }

    [Fact]
    public void ReduceWindow2D_HugeWindow_IsRefusedAtLoadByTheWorkCap()
    {
        // 1024x1024 input, 1024x1024 window padded to keep the size: 2^40 taps per run, far over KModel.MaxTotalMacs.
        const int h = 1024, w = 1024;
        uint inBytes = h * w * 4;
        var body = new Body().Range(Main, F32, 0, inBytes).Range(Main, F32, inBytes, inBytes).U32(2).Shape(1, 1, h, w)
            .Window(511, 512, 511, 512, 1024, 1024, 1, 1, 1, 1).F32(-float.MaxValue).Activation(-1f, 1f).ToArray();
        var b = new V4FileBuilder { MainMemory = 2 * inBytes };
        b.Input(V4FileBuilder.Main, V4FileBuilder.U8, 0, inBytes, 1, 1, 1, (int)inBytes);
        b.Output(V4FileBuilder.Main, V4FileBuilder.U8, inBytes, inBytes);
        b.Node(0x08, body);
        var e = Assert.Throws<KModelValidationException>(() => KModel.Load(b.Build()));
        Assert.Equal(0, e.LayerIndex);
        Assert.Contains("multiply-accumulates", e.Message);
    }

    [Fact]
    public void Softmax_Rows_MatchSpec()
    {
        float[] x = [1f, 2f, 3f, 0.5f, -1f, 4f, 4f, 0f];
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        var body = new Body().Range(Main, F32, 0, 32).Range(Main, F32, outAt, 32).I32(4).I32(2).F32(0.75f).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, 32, ArithmeticMode.Reference, MainBytes, (0x0B, body)));
        var want = new float[8];
        for (int r = 0; r < 2; r++)
        {
            float max = x.Skip(r * 4).Take(4).Max();
            float sum = 0;
            for (int i = 0; i < 4; i++)
            {
                want[(r * 4) + i] = MathF.Exp((x[(r * 4) + i] - max) * 0.75f);
                sum += want[(r * 4) + i];
            }

            for (int i = 0; i < 4; i++)
            {
                want[(r * 4) + i] /= sum;
            }
        }

        V4Run.AssertFloats(want, got, "softmax");
    }

    [Theory]
    [InlineData(ArithmeticMode.Reference)]
    [InlineData(ArithmeticMode.Device)]
    public void MatMul_WithBiasAndClamp_MatchesSpec(ArithmeticMode mode)
    {
        var rnd = new Random(3);
        (int rows, int cols, int bcols) = (3, 5, 4);
        float[] a = V4Run.RandomFloats(rnd, rows * cols);
        float[] b = V4Run.RandomFloats(rnd, cols * bcols);
        float[] bias = V4Run.RandomFloats(rnd, bcols);
        (byte[] blob, uint[] at) = V4Run.Pack(a, b);
        uint outAt = (uint)blob.Length;
        var body = new Body().Range(Main, F32, at[0], (uint)a.Length * 4).Range(Main, F32, at[1], (uint)b.Length * 4).Range(Main, F32, outAt, (uint)(rows * bcols * 4))
            .I32(rows).I32(cols).I32(bcols).Activation(-6f, 6f).F32s(bias).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, (uint)(rows * bcols * 4), mode, MainBytes, (0x04, body)));
        var want = new float[rows * bcols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < bcols; c++)
            {
                float v = bias[c];
                for (int i = 0; i < cols; i++)
                {
                    v = mode == ArithmeticMode.Device ? MathF.FusedMultiplyAdd(a[(r * cols) + i], b[(i * bcols) + c], v) : v + (a[(r * cols) + i] * b[(i * bcols) + c]);
                }

                want[(r * bcols) + c] = Clamp(v, -6f, 6f);
            }
        }

        V4Run.AssertFloats(want, got, "matmul");
    }

    /// <summary>Wide outputs take the column-vector form: still the spec's float, bit for bit, in both modes.</summary>
    [Fact]
    public void MatMul_WideRandomShapes_MatchSpec()
    {
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 20], Gen.Int[1, 40], Gen.Int[0, 1], Gen.Int).Sample((rows, cols, bcols, m, seed) =>
        {
            ArithmeticMode mode = m == 0 ? ArithmeticMode.Reference : ArithmeticMode.Device;
            var rnd = new Random(seed);
            float[] a = V4Run.RandomFloats(rnd, rows * cols);
            float[] b = V4Run.RandomFloats(rnd, cols * bcols);
            float[] bias = V4Run.RandomFloats(rnd, bcols);
            (byte[] blob, uint[] at) = V4Run.Pack(a, b);
            uint outAt = (uint)blob.Length;
            var body = new Body().Range(Main, F32, at[0], (uint)a.Length * 4).Range(Main, F32, at[1], (uint)b.Length * 4).Range(Main, F32, outAt, (uint)(rows * bcols * 4))
                .I32(rows).I32(cols).I32(bcols).Activation(-2f, 3f).F32s(bias).ToArray();
            float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, (uint)(rows * bcols * 4), mode, MainBytes, (0x04, body)));
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < bcols; c++)
                {
                    float v = bias[c];
                    for (int i = 0; i < cols; i++)
                    {
                        v = mode == ArithmeticMode.Device ? MathF.FusedMultiplyAdd(a[(r * cols) + i], b[(i * bcols) + c], v) : v + (a[(r * cols) + i] * b[(i * bcols) + c]);
                    }

                    float want = Clamp(v, -2f, 3f);
                    Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got[(r * bcols) + c]), $"{rows}x{cols}·{cols}x{bcols} {mode}: [{r},{c}] got {got[(r * bcols) + c]}, want {want}");
                }
            }
        }, iter: 150);
    }

    public static TheoryData<int, int, int, int, ArithmeticMode> ConvCases => new()
    {
        { 1, 3, 1, 1, ArithmeticMode.Reference },
        { 2, 3, 2, 1, ArithmeticMode.Reference },
        { 4, 3, 1, 2, ArithmeticMode.Reference },
        { 1, 1, 1, 1, ArithmeticMode.Reference },
        { 2, 3, 2, 1, ArithmeticMode.Device },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2D_GroupsStrideDilation_MatchesSpec(int groups, int k, int stride, int dilation, ArithmeticMode mode)
    {
        var rnd = new Random(groups * 31 + k);
        (int n, int c, int h, int w, int oc) = (2, 4, 6, 5, 4);
        (int pt, int pb, int pl, int pr) = (1, 1, 2, 0);
        int gic = c / groups, goc = oc / groups;
        float[] x = V4Run.RandomFloats(rnd, n * c * h * w);
        float[] weights = V4Run.RandomFloats(rnd, oc * gic * k * k);
        float[] bias = V4Run.RandomFloats(rnd, oc);
        int oh = (h + pt + pb - (((k - 1) * dilation) + 1) + stride) / stride;
        int ow = (w + pl + pr - (((k - 1) * dilation) + 1) + stride) / stride;
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        uint outBytes = (uint)(n * oc * oh * ow * 4);
        var body = new Body().Range(Main, F32, 0, (uint)x.Length * 4).Range(Main, F32, outAt, outBytes).Shape(n, c, h, w).I32(groups).I32(oc)
            .Window(pt, pb, pl, pr, k, k, stride, stride, dilation, dilation).Activation(-3f, 3f).F32s(weights).F32s(bias).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, outBytes, mode, MainBytes, (0x02, body)));
        var want = new float[n * oc * oh * ow];
        int o = 0;
        for (int b = 0; b < n; b++)
        {
            for (int g = 0; g < groups; g++)
            {
                for (int co = 0; co < goc; co++)
                {
                    int ocAbs = (g * goc) + co;
                    for (int oy = 0; oy < oh; oy++)
                    {
                        for (int ox = 0; ox < ow; ox++)
                        {
                            float v = bias[ocAbs];
                            for (int ci = 0; ci < gic; ci++)
                            {
                                for (int ky = 0; ky < k; ky++)
                                {
                                    for (int kx = 0; kx < k; kx++)
                                    {
                                        int y = (oy * stride) - pt + (ky * dilation), xx = (ox * stride) - pl + (kx * dilation);
                                        if (y >= 0 && y < h && xx >= 0 && xx < w)
                                        {
                                            float xv = x[Off([n, c, h, w], b, (g * gic) + ci, y, xx)];
                                            float wv = weights[(((((ocAbs * gic) + ci) * k) + ky) * k) + kx];
                                            v = mode == ArithmeticMode.Device ? MathF.FusedMultiplyAdd(xv, wv, v) : v + (xv * wv);
                                        }
                                    }
                                }
                            }

                            want[o++] = Clamp(v, -3f, 3f);
                        }
                    }
                }
            }
        }

        V4Run.AssertFloats(want, got, "conv2d");
    }

    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(1, 1, 2)]
    public void Conv2DTranspose_IgnoresBias_MatchesSpec(int groups, int stride, int dilation)
    {
        var rnd = new Random(groups + (stride * 3));
        (int n, int ic, int h, int w, int oc, int k) = (1, 4, 3, 4, 2, 3);
        (int pt, int pl) = (1, 0);
        int oh = ((h - 1) * stride) - pt - 0 + ((k - 1) * dilation) + 1;
        int ow = ((w - 1) * stride) - pl + ((k - 1) * dilation) + 1;
        int gic = ic / groups, goc = oc / groups;
        float[] x = V4Run.RandomFloats(rnd, n * ic * h * w);
        float[] weights = V4Run.RandomFloats(rnd, oc * gic * k * k);
        float[] bias = [100f, -100f];
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        uint outBytes = (uint)(n * oc * oh * ow * 4);
        var body = new Body().Range(Main, F32, 0, (uint)x.Length * 4).Range(Main, F32, outAt, outBytes).Shape(n, ic, h, w).Shape(n, oc, oh, ow).I32(groups)
            .Window(pt, 0, pl, 0, k, k, stride, stride, dilation, dilation).Activation(-2f, 2f).F32s(weights).F32s(bias).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, outBytes, ArithmeticMode.Reference, MainBytes, (0x13, body)));
        var want = new float[n * oc * oh * ow];
        for (int g = 0; g < groups; g++)
        {
            for (int ci = 0; ci < gic; ci++)
            {
                for (int iy = 0; iy < h; iy++)
                {
                    for (int ix = 0; ix < w; ix++)
                    {
                        float v = x[Off([n, ic, h, w], 0, (g * gic) + ci, iy, ix)];
                        for (int co = 0; co < goc; co++)
                        {
                            for (int ky = 0; ky < k; ky++)
                            {
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int y = (iy * stride) - pt + (ky * dilation), xx = (ix * stride) - pl + (kx * dilation);
                                    if (y >= 0 && y < oh && xx >= 0 && xx < ow)
                                    {
                                        want[Off([n, oc, oh, ow], 0, (g * goc) + co, y, xx)] += v * weights[(((((((g * goc) + co) * gic) + ci) * k) + ky) * k) + kx];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        V4Run.AssertFloats([.. want.Select(v => Clamp(v, -2f, 2f))], got, "conv2d_transpose (no bias)");
    }

    public static TheoryData<int, bool, bool, ArithmeticMode> ResizeCases()
    {
        var d = new TheoryData<int, bool, bool, ArithmeticMode>();
        foreach (bool f32 in new[] { true, false })
        {
            d.Add(1, false, f32, ArithmeticMode.Reference);
            d.Add(0, false, f32, ArithmeticMode.Reference);
            d.Add(0, true, f32, ArithmeticMode.Reference);
            d.Add(0, true, f32, ArithmeticMode.Device);
        }

        return d;
    }

    [Theory]
    [MemberData(nameof(ResizeCases))]
    public void ResizeImage_Modes_MatchSpec(int mode, bool alignCorners, bool f32, ArithmeticMode arithmetic)
    {
        var rnd = new Random(mode + (alignCorners ? 10 : 0));
        (int c, int h, int w, int oh, int ow) = (2, 4, 5, 7, 3);
        float[] xf = [.. Enumerable.Range(0, c * h * w).Select(_ => (float)rnd.Next(256))];
        byte[] blob = f32 ? V4Run.Floats(xf) : [.. xf.Select(v => (byte)v)];
        int es = f32 ? 4 : 1;
        uint outAt = (uint)blob.Length;
        uint outBytes = (uint)(c * oh * ow * es);
        var body = new Body().Range(Main, f32 ? F32 : U8, 0, (uint)blob.Length).Range(Main, f32 ? F32 : U8, outAt, outBytes).Shape(1, c, h, w)
            .I32(oh).I32(ow).U32((uint)mode).U8(alignCorners ? (byte)1 : (byte)0).U8(0).U8(0).U8(0).ToArray();
        byte[] raw = V4Run.InMain(blob, outAt, outBytes, arithmetic, MainBytes, (0x0A, body));
        float[] got = f32 ? V4Run.ToFloats(raw) : [.. raw.Select(v => (float)v)];
        var want = new float[c * oh * ow];
        float hs = (float)h / oh, ws = (float)w / ow;
        if (mode == 0 && alignCorners)
        {
            hs = (float)(h - 1) / (oh - 1);
            ws = (float)(w - 1) / (ow - 1);
        }

        int o = 0;
        for (int ch = 0; ch < c; ch++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    float At(int y, int x) => xf[(((ch * h) + y) * w) + x];
                    if (mode == 1)
                    {
                        want[o++] = At(Math.Min((int)MathF.Floor(oy * hs), h - 1), Math.Min((int)MathF.Floor(ox * ws), w - 1));
                        continue;
                    }

                    float iy = oy * hs, ix = ox * ws;
                    int y0 = (int)MathF.Floor(iy), x0 = (int)MathF.Floor(ix);
                    int y1 = Math.Min(y0 + 1, h - 1), x1 = Math.Min(x0 + 1, w - 1);
                    float dy = iy - y0, dx = ix - x0;
                    float v = arithmetic == ArithmeticMode.Device
                        ? MathF.FusedMultiplyAdd(At(y1, x1), dy * dx, MathF.FusedMultiplyAdd(At(y0, x1), (1 - dy) * dx, MathF.FusedMultiplyAdd(At(y1, x0), dy * (1 - dx), At(y0, x0) * ((1 - dy) * (1 - dx)))))
                        : (At(y0, x0) * ((1 - dy) * (1 - dx))) + (At(y1, x0) * (dy * (1 - dx))) + (At(y0, x1) * ((1 - dy) * dx)) + (At(y1, x1) * (dy * dx));
                    want[o++] = f32 ? v : (int)v;
                }
            }
        }

        V4Run.AssertFloats(want, got, $"resize mode {mode} align {alignCorners} f32 {f32} {arithmetic}");
    }
}
