using static K210Kpu.Tests.V4.V4FileBuilder;

namespace K210Kpu.Tests.V4;

/// <summary>Data-movement and quantization ops on hand-built V4 files against spec references, byte for byte.</summary>
public class V4DataOpTests
{
    private const uint MainBytes = 1 << 16;

    private static int Off(int[] s, int a, int b, int c, int d) => (((((a * s[1]) + b) * s[2]) + c) * s[3]) + d;

    public static TheoryData<int, int, int, int> Perms()
    {
        var d = new TheoryData<int, int, int, int>();
        foreach (int[] p in Permutations([0, 1, 2, 3]))
        {
            d.Add(p[0], p[1], p[2], p[3]);
        }

        return d;
    }

    private static IEnumerable<int[]> Permutations(int[] items) =>
        items.Length <= 1 ? [items] : items.SelectMany(x => Permutations([.. items.Where(y => y != x)]).Select(rest => (int[])[x, .. rest]));

    [Theory]
    [MemberData(nameof(Perms))]
    public void Transpose_EveryPermutation_MatchesSpec(int p0, int p1, int p2, int p3)
    {
        int[] perm = [p0, p1, p2, p3];
        int[] s = [2, 3, 4, 5];
        float[] x = [.. Enumerable.Range(0, 120).Select(i => (float)i)];
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        var body = new Body().Range(Main, F32, 0, 480).Range(Main, F32, outAt, 480).Shape(s).Shape(perm).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, 480, ArithmeticMode.Reference, MainBytes, (0x0C, body)));
        int[] os = [s[perm[0]], s[perm[1]], s[perm[2]], s[perm[3]]];
        var want = new float[120];
        int[] i = new int[4];
        for (int a = 0; a < os[0]; a++)
        {
            for (int b = 0; b < os[1]; b++)
            {
                for (int c = 0; c < os[2]; c++)
                {
                    for (int d = 0; d < os[3]; d++)
                    {
                        int[] o = [a, b, c, d];
                        for (int k = 0; k < 4; k++)
                        {
                            i[perm[k]] = o[k];
                        }

                        want[Off(os, a, b, c, d)] = x[Off(s, i[0], i[1], i[2], i[3])];
                    }
                }
            }
        }

        V4Run.AssertFloats(want, got, $"transpose {string.Join(",", perm)}");
    }

    [Fact]
    public void Transpose_UInt8_UsesOneByteElements()
    {
        byte[] x = [.. Enumerable.Range(0, 6).Select(i => (byte)(i + 1))];
        var body = new Body().Range(Main, U8, 0, 6).Range(Main, U8, 8, 6).Shape(1, 1, 2, 3).Shape(0, 1, 3, 2).ToArray();
        byte[] got = V4Run.InMain([.. x, 0, 0], 8, 6, ArithmeticMode.Reference, MainBytes, (0x0C, body));
        Assert.Equal(new byte[] { 1, 4, 2, 5, 3, 6 }, got);
    }

    [Theory]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 1, 2, 3, 5 }, new[] { 1, 1, 1, 2 })]
    [InlineData(new[] { 0, 1, 2, 4 }, new[] { 1, -1, -1, -1 }, new[] { 1, -1, -2, -2 })]
    [InlineData(new[] { 0, 0, 2, 1 }, new[] { 1, 2, -1, 5 }, new[] { 1, 1, -1, 3 })]
    public void StridedSlice_PositiveAndNegativeStrides_MatchSpec(int[] begin, int[] end, int[] strides)
    {
        int[] s = [1, 2, 3, 5];
        float[] x = [.. Enumerable.Range(0, 30).Select(i => (float)i)];
        var want = new List<float>();
        static bool Cond(int i, int stop, int stride) => stride > 0 ? i < stop : i > stop;
        for (int a = begin[0]; Cond(a, end[0], strides[0]); a += strides[0])
        {
            for (int b = begin[1]; Cond(b, end[1], strides[1]); b += strides[1])
            {
                for (int c = begin[2]; Cond(c, end[2], strides[2]); c += strides[2])
                {
                    for (int d = begin[3]; Cond(d, end[3], strides[3]); d += strides[3])
                    {
                        want.Add(x[Off(s, a, b, c, d)]);
                    }
                }
            }
        }

        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        uint outBytes = (uint)(want.Count * 4);
        var body = new Body().Range(Main, F32, 0, 120).Range(Main, F32, outAt, outBytes).Shape(s).Shape(begin).Shape(end).Shape(strides)
            .I32(0).I32(0).I32(0).I32(0).I32(0).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(blob, outAt, outBytes, ArithmeticMode.Reference, MainBytes, (0x0D, body)));
        V4Run.AssertFloats([.. want], got, "strided_slice");
    }

    [Theory]
    [InlineData(true, 0, 0, 1, 2, 2, 1, 0u)]
    [InlineData(false, 0, 1, 2, 0, 1, 3, 0xAAu)]
    [InlineData(true, 0, 0, -1, 1, 1, -2, 0x3F800000u)]
    public void Pad_ConstantAndCropping_MatchSpec(bool f32, int c0, int c1, int hb, int ha, int wb, int wa, uint padValue)
    {
        int[] s = [1, 2, 3, 4];
        int es = f32 ? 4 : 1;
        int[] os = [1, s[1] + c0 + c1, s[2] + hb + ha, s[3] + wb + wa];
        byte[] x = [.. Enumerable.Range(0, 24 * es).Select(i => (byte)(i + 1))];
        int outCount = os[0] * os[1] * os[2] * os[3];
        uint outAt = (uint)(x.Length + 8);
        var body = new Body().Range(Main, f32 ? F32 : U8, 0, (uint)x.Length).Range(Main, f32 ? F32 : U8, outAt, (uint)(outCount * es)).Shape(s)
            .I32(0).I32(0).I32(c0).I32(c1).I32(hb).I32(ha).I32(wb).I32(wa).U32(f32 ? 0u : 1u).U32(padValue).ToArray();
        byte[] got = V4Run.InMain([.. x, .. new byte[8]], outAt, (uint)(outCount * es), ArithmeticMode.Reference, MainBytes, (0x05, body));
        byte[] pv = BitConverter.GetBytes(padValue)[..es];
        var want = new List<byte>();
        for (int c = 0; c < os[1]; c++)
        {
            for (int y = 0; y < os[2]; y++)
            {
                for (int xx = 0; xx < os[3]; xx++)
                {
                    int ic = c - c0, iy = y - hb, ix = xx - wb;
                    bool inside = ic >= 0 && ic < s[1] && iy >= 0 && iy < s[2] && ix >= 0 && ix < s[3];
                    want.AddRange(inside ? x.AsSpan(Off(s, 0, ic, iy, ix) * es, es).ToArray() : pv);
                }
            }
        }

        Assert.Equal(want.ToArray(), got);
    }

    [Fact]
    public void Concat_ThreeInputs_InterleavesByOuterSize()
    {
        // Three u8 tensors [2][a_i][3] concatenated along axis 1: inner = 3 bytes, outer = 2.
        byte[] a = [.. Enumerable.Range(0, 6).Select(i => (byte)(10 + i))];
        byte[] b = [.. Enumerable.Range(0, 12).Select(i => (byte)(40 + i))];
        byte[] c = [.. Enumerable.Range(0, 18).Select(i => (byte)(90 + i))];
        byte[] blob = [.. a, .. b, .. c];
        uint outAt = 64;
        var body = new Body().Range(Main, U8, outAt, 36).U32(3).U32(2).U32(3)
            .Range(Main, U8, 0, 6).Range(Main, U8, 6, 12).Range(Main, U8, 18, 18).I32(1).I32(2).I32(3).ToArray();
        byte[] got = V4Run.InMain(blob, outAt, 36, ArithmeticMode.Reference, MainBytes, (0x01, body));
        byte[] want = [.. a[..3], .. b[..6], .. c[..9], .. a[3..], .. b[6..], .. c[9..]];
        Assert.Equal(want, got);
    }

    [Fact]
    public void MemoryCopy_DropsTrailingSizeMod4Bytes()
    {
        byte[] blob = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        var body = new Body().Range(Main, U8, 0, 11).Range(Main, U8, 16, 11).ToArray();
        byte[] got = V4Run.InMain(blob, 16, 11, ArithmeticMode.Reference, MainBytes, (0x09, body));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0 }, got);
    }

    [Fact]
    public void TableLookup1D_MapsEveryByte()
    {
        byte[] table = [.. Enumerable.Range(0, 256).Select(i => (byte)((i * 7) + 3))];
        byte[] x = [0, 1, 255, 128, 77];
        var b = new V4FileBuilder { MainMemory = 64, Constants = table };
        b.Input(Main, U8, 0, 5, 1, 1, 1, 5).Output(Main, U8, 8, 5);
        b.Node(0x12, new Body().Range(Main, U8, 0, 5).Range(Const, U8, 0, 256).Range(Main, U8, 8, 5).ToArray());
        using var interp = new Interpreter(KModel.Load(b.Build()));
        interp.SetInput(0, x);
        interp.Run();
        Assert.Equal(x.Select(v => table[v]).ToArray(), interp.GetOutput(0).ToArray());
    }

    [Fact]
    public void TableLookup1D_FloatInput_IsRejectedAtLoad()
    {
        var b = new V4FileBuilder { MainMemory = 64, Constants = new byte[256] };
        b.Input(Main, U8, 0, 8, 1, 1, 1, 8).Output(Main, U8, 8, 8);
        b.Node(0x12, new Body().Range(Main, F32, 0, 8).Range(Const, U8, 0, 256).Range(Main, U8, 8, 8).ToArray());
        var e = Assert.Throws<KModelValidationException>(() => KModel.Load(b.Build()));
        Assert.Equal(0, e.LayerIndex);
    }

    [Theory]
    [InlineData(ArithmeticMode.Reference)]
    [InlineData(ArithmeticMode.Device)]
    public void Quantize_Ties_RoundAsEachModeDoes(ArithmeticMode mode)
    {
        // scale 1, zp 0: x·1 + 0 is exact, so each value is its own tie. 5 values: pairs then an odd last element.
        float[] x = [0.5f, 1.5f, 2.5f, -0.5f, 3.5f, 300f, float.NaN];
        (byte[] blob, _) = V4Run.Pack(x);
        uint outAt = (uint)blob.Length;
        var body = new Body().Range(Main, F32, 0, (uint)blob.Length).Range(Main, U8, outAt, 7).I32(0).F32(1f).ToArray();
        byte[] got = V4Run.InMain(blob, outAt, 7, mode, MainBytes, (0x06, body));

        // Reference: roundf (ties away), x86 conversion (NaN -> INT_MIN -> 0). Device: ties to even for pairs,
        // roundf for the odd last element, saturating conversion (NaN -> INT_MAX -> 255).
        byte[] want = mode == ArithmeticMode.Reference ? [1, 2, 3, 0, 4, 255, 0] : [0, 2, 2, 0, 4, 255, 255];
        Assert.Equal(want, got);
    }

    [Theory]
    [InlineData(ArithmeticMode.Reference, new byte[] { 1, 3, 5 })]
    [InlineData(ArithmeticMode.Device, new byte[] { 0, 2, 5 })]
    public void Quantize_OddLastElement_StillRoundsAwayFromZeroOnTheDevice(ArithmeticMode mode, byte[] want)
    {
        (byte[] blob, _) = V4Run.Pack([0.5f, 2.5f, 4.5f]);
        var body = new Body().Range(Main, F32, 0, 12).Range(Main, U8, 12, 3).I32(0).F32(1f).ToArray();
        Assert.Equal(want, V4Run.InMain(blob, 12, 3, mode, 64, (0x06, body)));
    }

    [Theory]
    [InlineData(ArithmeticMode.Reference)]
    [InlineData(ArithmeticMode.Device)]
    public void Dequantize_MatchesEachModesFormula(ArithmeticMode mode)
    {
        byte[] x = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        (int zp, float scale) = (117, 7.3459f);
        uint outAt = 256;
        var body = new Body().Range(Main, U8, 0, 256).Range(Main, F32, outAt, 1024).I32(zp).F32(scale).ToArray();
        float[] got = V4Run.ToFloats(V4Run.InMain(x, outAt, 1024, mode, 4096, (0x03, body)));
        float s = 1f / scale;
        float z = -zp * s;
        float[] want = [.. x.Select(q => mode == ArithmeticMode.Reference ? (q - zp) * s : MathF.FusedMultiplyAdd(q, s, z))];
        V4Run.AssertFloats(want, got, "dequantize");
    }

    [Fact]
    public void QuantizeDequantize_Modes_DifferOnlyWhereTheFormulasDo()
    {
        byte[] x = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        var body = new Body().Range(Main, U8, 0, 256).Range(Main, F32, 256, 1024).I32(117).F32(7.3459f).ToArray();
        float[] r = V4Run.ToFloats(V4Run.InMain(x, 256, 1024, ArithmeticMode.Reference, 4096, (0x03, body)));
        float[] d = V4Run.ToFloats(V4Run.InMain(x, 256, 1024, ArithmeticMode.Device, 4096, (0x03, body)));
        Assert.Contains(r.Zip(d), p => p.First != p.Second);
        Assert.All(r.Zip(d), p => Assert.True(MathF.Abs(p.First - p.Second) <= 1e-5f));
    }

    private static int MulShift(int v, int mul, int shift)
    {
        long t = (long)v * mul;
        int s = shift & 0xFF;
        if (s > 0)
        {
            t = (t + (1L << (s - 1))) >> s;
        }

        return (int)t;
    }

    private static byte Sat(int v) => (byte)Math.Clamp(v, 0, 255);

    public static TheoryData<int, bool> QBinaryCases()
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
    [MemberData(nameof(QBinaryCases))]
    public void QuantizedBinary_EveryOp_MapsOutputFieldsByName(int op, bool broadcast)
    {
        var rnd = new Random(op + 100);
        byte[] a = new byte[12];
        byte[] b = new byte[broadcast ? 3 : 12];
        rnd.NextBytes(a);
        rnd.NextBytes(b);
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (byte)Math.Max((int)b[i], 1);
        }

        (int aOff, int aMul, int aSh) = (-120, 1500, 4);
        (int bOff, int bMul, int bSh) = (-7, 900, 3);
        (int oOff, int oMul, int oSh) = (60, 23000, 17);
        byte[] blob = [.. a, .. b];
        uint outAt = 32;
        int[] aShape = [1, 1, 4, 3], bShape = broadcast ? [1, 1, 1, 3] : [1, 1, 4, 3];
        var body = new Body().Range(Main, U8, 0, 12).Range(Main, U8, 12, (uint)b.Length).Range(Main, U8, outAt, 12).U32((uint)op)
            .Shape(aShape).Shape(bShape).Shape(1, 1, 4, 3)
            .I32(aOff).I32(aMul).I32(aSh).I32(bOff).I32(bMul).I32(bSh)
            .I32(oOff).I32(oMul).I32(oSh) // body order: output offset, mul, shift
            .ToArray();
        byte[] got = V4Run.InMain(blob, outAt, 12, ArithmeticMode.Reference, MainBytes, (0x11, body));
        var want = new byte[12];
        for (int i = 0; i < 12; i++)
        {
            int av = MulShift(a[i] + aOff, aMul, aSh);
            int bv = MulShift(b[broadcast ? i % 3 : i] + bOff, bMul, bSh);
            int r = op switch { 0 => av + bv, 1 => av - bv, 2 => av * bv, 3 => (av + (bv / 2)) / bv, 4 => Math.Min(av, bv), _ => Math.Max(av, bv) };
            want[i] = Sat(MulShift(r, oMul, oSh) + oOff);
        }

        Assert.Equal(want, got);
    }

    [Fact]
    public void QuantizedConv2D_BiasBeforeWeights_OffsetsAdded_MatchesSpec()
    {
        var rnd = new Random(5);
        (int n, int c, int h, int w, int oc, int k, int groups, int stride) = (1, 4, 5, 6, 6, 3, 2, 2);
        (int pt, int pb, int pl, int pr) = (1, 1, 1, 1);
        int gic = c / groups, goc = oc / groups;
        byte[] x = new byte[n * c * h * w];
        byte[] weights = new byte[oc * gic * k * k];
        rnd.NextBytes(x);
        rnd.NextBytes(weights);
        int[] bias = [.. Enumerable.Range(0, oc).Select(_ => rnd.Next(-5000, 5000))];
        (int inOff, int wOff, int oMul, int oSh, int oOff) = (-128, -3, 17000, 24, 12);
        int oh = ((h + pt + pb - k) / stride) + 1, ow = ((w + pl + pr - k) / stride) + 1;
        uint outAt = (uint)x.Length;
        var body = new Body().Range(Main, U8, 0, (uint)x.Length).Range(Main, U8, outAt, (uint)(oc * oh * ow)).Shape(n, c, h, w).I32(groups).I32(oc)
            .Window(pt, pb, pl, pr, k, k, stride, stride, 1, 1).I32(inOff).I32(wOff).I32(oMul).I32(oSh).I32(oOff).I32s(bias).Bytes(weights).ToArray();
        byte[] got = V4Run.InMain(x, outAt, (uint)(oc * oh * ow), ArithmeticMode.Reference, MainBytes, (0x0F, body));
        var want = new List<byte>();
        for (int o = 0; o < oc; o++)
        {
            int g = o / goc;
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    int acc = bias[o];
                    for (int ci = 0; ci < gic; ci++)
                    {
                        for (int ky = 0; ky < k; ky++)
                        {
                            for (int kx = 0; kx < k; kx++)
                            {
                                int y = (oy * stride) - pt + ky, xx = (ox * stride) - pl + kx;
                                if (y >= 0 && y < h && xx >= 0 && xx < w)
                                {
                                    acc += (x[Off([n, c, h, w], 0, (g * gic) + ci, y, xx)] + inOff) * (weights[(((((o * gic) + ci) * k) + ky) * k) + kx] + wOff);
                                }
                            }
                        }
                    }

                    want.Add(Sat(MulShift(acc, oMul, oSh) + oOff));
                }
            }
        }

        Assert.Equal(want.ToArray(), got);
    }

    [Fact]
    public void QuantizedMatMul_MatchesSpec()
    {
        var rnd = new Random(9);
        (int rows, int cols, int bcols) = (3, 7, 5);
        byte[] a = new byte[rows * cols], b = new byte[cols * bcols];
        rnd.NextBytes(a);
        rnd.NextBytes(b);
        int[] bias = [.. Enumerable.Range(0, bcols).Select(_ => rnd.Next(-3000, 3000))];
        (int aOff, int bOff, int oMul, int oSh, int oOff) = (-100, -140, 25000, 22, 30);
        byte[] blob = [.. a, .. b];
        uint outAt = (uint)blob.Length;
        var body = new Body().Range(Main, U8, 0, (uint)a.Length).Range(Main, U8, (uint)a.Length, (uint)b.Length).Range(Main, U8, outAt, (uint)(rows * bcols))
            .I32(rows).I32(cols).I32(bcols).I32(aOff).I32(bOff).I32(oMul).I32(oSh).I32(oOff).I32s(bias).ToArray();
        byte[] got = V4Run.InMain(blob, outAt, (uint)(rows * bcols), ArithmeticMode.Reference, MainBytes, (0x10, body));
        var want = new byte[rows * bcols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < bcols; c++)
            {
                int acc = bias[c];
                for (int i = 0; i < cols; i++)
                {
                    acc += (a[(r * cols) + i] + aOff) * (b[(i * bcols) + c] + bOff);
                }

                want[(r * bcols) + c] = Sat(MulShift(acc, oMul, oSh) + oOff);
            }
        }

        Assert.Equal(want, got);
    }

    [Fact]
    public void QuantizedBinary_DivisionByZero_IsARuntimeError()
    {
        var body = new Body().Range(Main, U8, 0, 1).Range(Main, U8, 1, 1).Range(Main, U8, 4, 1).U32(3)
            .Shape(1).Shape(1).Shape(1).I32(0).I32(1).I32(0).I32(0).I32(1).I32(0).I32(0).I32(1).I32(0).ToArray();
        Assert.Throws<KpuRuntimeException>(() => V4Run.InMain([5, 0], 4, 1, ArithmeticMode.Reference, 64, (0x11, body)));
    }

    [Fact]
    public void StridedSlice_IndexOutsideInput_IsRejectedAtLoad()
    {
        var body = new Body().Range(Main, F32, 0, 24).Range(Main, F32, 32, 24).Shape(1, 1, 2, 3).Shape(0, 0, 2, 0).Shape(1, 1, 3, 3).Shape(1, 1, 1, 1)
            .I32(0).I32(0).I32(0).I32(0).I32(0).ToArray();
        Assert.Throws<KModelValidationException>(() => V4Run.InMain(new byte[24], 32, 24, ArithmeticMode.Reference, 64, (0x0D, body)));
    }
}
