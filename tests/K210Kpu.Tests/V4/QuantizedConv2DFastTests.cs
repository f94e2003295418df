using CsCheck;
using static K210Kpu.Tests.V4.V4FileBuilder;

namespace K210Kpu.Tests.V4;

/// <summary>quantized_conv2d: the row-wise (vector) form equals the reference loop nest (ForceScalar) byte for byte.</summary>
public class QuantizedConv2DFastTests
{
    private const uint MainBytes = 1 << 17;

    private static byte[] Run(byte[] blob, uint outAt, uint outSize, byte[] body, bool scalar)
    {
        var b = new V4FileBuilder { MainMemory = MainBytes };
        b.Input(Main, U8, 0, (uint)blob.Length, 1, 1, 1, blob.Length);
        b.Output(Main, U8, outAt, outSize);
        b.Node(0x0F, body);
        using var interp = new Interpreter(KModel.Load(b.Build()), new RunOptions { ForceScalar = scalar });
        interp.SetInput(0, blob);
        interp.Run();
        return interp.GetOutput(0).ToArray();
    }

    [Fact]
    public void RandomLayers_RowsEqualReference()
    {
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 40], Gen.Int[1, 12], Gen.Int[1, 3], Gen.Int[1, 5], Gen.Int[0, 6], Gen.Int).Sample((n, w, h, k, dil, pad, seed) =>
        {
            var rnd = new Random(seed);
            int groups = rnd.Next(1, 3);
            int c = groups * rnd.Next(1, 4), oc = groups * rnd.Next(1, 4);
            int sh = rnd.Next(1, 3);
            int oh = ((h + pad + pad - (dil * (k - 1)) - 1) / sh) + 1, ow = w + pad + pad - (dil * (k - 1));
            if (oh <= 0 || ow <= 0 || h + pad + pad - (dil * (k - 1)) - 1 < 0)
            {
                return;
            }

            byte[] x = new byte[n * c * h * w];
            byte[] weights = new byte[oc * (c / groups) * k * k];
            rnd.NextBytes(x);
            rnd.NextBytes(weights);
            int[] bias = [.. Enumerable.Range(0, oc).Select(_ => rnd.Next(int.MinValue, int.MaxValue))];
            bool wide = rnd.Next(3) == 0;
            int inOff = wide ? rnd.Next(int.MinValue, int.MaxValue) : rnd.Next(-255, 256);
            int wOff = wide ? rnd.Next(int.MinValue, int.MaxValue) : rnd.Next(-255, 256);
            (int oMul, int oSh, int oOff) = (rnd.Next(1, 40000), rnd.Next(0, 32), rnd.Next(-300, 300));
            uint outAt = (uint)x.Length;
            uint outSize = (uint)(n * oc * oh * ow);
            var body = new Body().Range(Main, U8, 0, (uint)x.Length).Range(Main, U8, outAt, outSize).Shape(n, c, h, w).I32(groups).I32(oc)
                .Window(pad, pad, pad, pad, k, k, sh, 1, dil, dil).I32(inOff).I32(wOff).I32(oMul).I32(oSh).I32(oOff).I32s(bias).Bytes(weights).ToArray();
            Assert.Equal(Run(x, outAt, outSize, body, scalar: true), Run(x, outAt, outSize, body, scalar: false));
        }, iter: 150);
    }
}
