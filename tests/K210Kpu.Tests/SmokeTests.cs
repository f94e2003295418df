namespace K210Kpu.Tests;

public class SmokeTests
{
    [Fact]
    public void Describe_Empty_SaysEmpty()
    {
        Assert.Equal("an empty file", KModel.Describe(ReadOnlySpan<byte>.Empty));
    }
}
