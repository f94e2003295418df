using K210Kpu.Kernels;

namespace K210Kpu.Tests.Kernels;

public class FixedPointTests
{
    // kpu-and-kmodel-v3 §3.4 / §7: R1 = nncase Banker, R2 = SDK carry shift.
    [Theory]
    [InlineData(10, 2, 2, 3)]
    [InlineData(-6, 2, -2, -3)]
    [InlineData(-5, 2, -3, -3)]
    [InlineData(-1, 2, -2, -2)]
    [InlineData(9, 2, 2, 2)]
    [InlineData(11, 2, 3, 3)]
    [InlineData(14, 2, 4, 4)]
    [InlineData(6, 2, 2, 2)]
    [InlineData(7, 0, 7, 7)]
    [InlineData(-7, 0, -7, -7)]
    [InlineData(1L << 40, 20, 1L << 20, 1L << 20)]
    public void RoundShift_MatchesSpecTable(long value, int shift, long banker, long sdk)
    {
        Assert.Equal(banker, FixedPoint.CarryShiftBanker(value, shift));
        Assert.Equal(sdk, FixedPoint.CarryShiftSdk(value, shift));
    }

    [Fact]
    public void CarryShiftBanker_NonNegative_IsRoundHalfToEven()
    {
        for (long v = 0; v < 2000; v++)
        {
            for (int s = 1; s < 8; s++)
            {
                long expected = (long)Math.Round(v / (double)(1 << s), MidpointRounding.ToEven);
                Assert.Equal(expected, FixedPoint.CarryShiftBanker(v, s));
            }
        }
    }

    [Fact]
    public void CarryShiftSdk_NonNegative_IsRoundHalfUp()
    {
        for (long v = 0; v < 2000; v++)
        {
            for (int s = 1; s < 8; s++)
            {
                long expected = (long)Math.Floor((v / (double)(1 << s)) + 0.5);
                Assert.Equal(expected, FixedPoint.CarryShiftSdk(v, s));
            }
        }
    }
}
