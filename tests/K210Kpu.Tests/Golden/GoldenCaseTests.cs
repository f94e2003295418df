using Xunit.Sdk;

namespace K210Kpu.Tests.Golden;

public class GoldenCaseTests
{
    [Fact]
    public void AssertBytes_NamesTheFirstDifferingElementChannelAndValues()
    {
        byte[] want = new byte[2 * 3 * 4];
        byte[] got = (byte[])want.Clone();
        got[13] = 7;
        got[20] = 9;
        var e = Assert.ThrowsAny<XunitException>(() => GoldenCase.AssertBytes(want, got, "layer 5 (K210Conv)", ElementType.UInt8, [1, 2, 3, 4]));
        Assert.Contains("layer 5 (K210Conv)", e.Message, StringComparison.Ordinal);
        Assert.Contains("element 13, channel 1: got 7, want 0; 2 elements differ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssertBytes_ShowsFloatValues()
    {
        byte[] want = BitConverter.GetBytes(1.5f), got = BitConverter.GetBytes(1.25f);
        var e = Assert.ThrowsAny<XunitException>(() => GoldenCase.AssertBytes(want, got, "output 0", ElementType.Float32));
        Assert.Contains("got 1.25, want 1.5", e.Message, StringComparison.Ordinal);
    }
}
