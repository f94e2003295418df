using K210Kpu.Kernels;

namespace K210Kpu.Tests.Kernels;

public class KpuPoolTests
{
    // A 4x4 map, row-major.
    private static readonly byte[] Map4 = [1, 9, 3, 250, 7, 2, 8, 4, 100, 101, 0, 5, 6, 200, 55, 11];

    private static byte[] Pool(byte[] input, int w, int h, int type)
    {
        int ow = KpuPool.OutputSize(w, type), oh = KpuPool.OutputSize(h, type);
        var o = new byte[ow * oh];
        KpuPool.Run(input, w, h, type, o, ow, oh);
        return o;
    }

    [Fact]
    public void Mean2Stride2_FloorsTheAverage() =>
        Assert.Equal(new byte[] { (1 + 9 + 7 + 2) / 4, (3 + 250 + 8 + 4) / 4, (100 + 101 + 6 + 200) / 4, (0 + 5 + 55 + 11) / 4 }, Pool(Map4, 4, 4, 2));

    [Fact]
    public void Max4Stride4_TakesTheMaximumOf16() => Assert.Equal(new byte[] { 250 }, Pool(Map4, 4, 4, 3));

    [Fact]
    public void Mean4Stride4_FloorsTheAverageOf16() => Assert.Equal(new byte[] { (byte)(Map4.Sum(b => b) / 16) }, Pool(Map4, 4, 4, 4));

    [Fact]
    public void RightTop2Stride2_TakesTheRightPixelOfTheTopRow() => Assert.Equal(new byte[] { 9, 250, 101, 5 }, Pool(Map4, 4, 4, 6));

    [Fact]
    public void LeftTop4Stride4_TakesTheFirstPixel() => Assert.Equal(new byte[] { 1 }, Pool(Map4, 4, 4, 7));

    [Fact]
    public void Mean2Stride1_ReplicatesTheBottomAndRightEdges()
    {
        byte[] got = Pool(Map4, 4, 4, 8);
        Assert.Equal(16, got.Length);
        Assert.Equal((1 + 9 + 7 + 2) / 4, got[0]);
        Assert.Equal((250 + 250 + 4 + 4) / 4, got[3]);         // last column: x clamps to 3
        Assert.Equal((6 + 200 + 6 + 200) / 4, got[12]);        // last row: y clamps to 3
        Assert.Equal(11, got[15]);                             // corner: four times the same pixel
    }

    [Fact]
    public void Max2Stride1_IgnoresTapsOutsideTheMap()
    {
        byte[] got = Pool(Map4, 4, 4, 9);
        Assert.Equal(Math.Max(Math.Max(1, 9), Math.Max(7, 2)), got[0]);
        Assert.Equal(11, got[15]);
        Assert.Equal(Math.Max(250, 4), got[3]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void EveryType_MatchesTheSpecTable_OnOddSizes(int type)
    {
        var rnd = new Random(type);
        foreach ((int w, int h) in new[] { (5, 7), (9, 4), (13, 13), (4, 9) })
        {
            var input = new byte[w * h];
            rnd.NextBytes(input);
            byte[] got = Pool(input, w, h, type);
            int ow = KpuPool.OutputSize(w, type);
            for (int i = 0; i < got.Length; i++)
            {
                byte want = ReferenceKpu.Pool((y, x) => input[(y * w) + x], w, h, type, i / ow, i % ow);
                Assert.True(want == got[i], $"type {type}, {w}x{h}, output {i}: got {got[i]}, want {want}");
            }
        }
    }
}
