using K210Kpu.Hardware;
using K210Kpu.Kernels;

namespace K210Kpu.Tests.Kernels;

public class KpuActivationTests
{
    private static KpuActivationSegment[] Table()
    {
        var s = new KpuActivationSegment[16];
        s[0] = new KpuActivationSegment(-(1L << 35), 0, 0, 1);
        for (int i = 1; i < 16; i++)
        {
            s[i] = new KpuActivationSegment(i * 100, 1, 0, (byte)(i * 10));
        }

        return s;
    }

    [Fact]
    public void Activate_ValueEqualToAStart_UsesTheSegmentBelow()
    {
        KpuActivationSegment[] t = Table();
        Assert.Equal(20 + (300 - 200), KpuActivation.Activate(300, t));   // 300 is not > 300 (segment 3): segment 2
    }

    [Theory]
    [InlineData(101, 10 + 1)]       // just above segment 1's start
    [InlineData(200, 10 + 100)]     // equal to segment 2's start: still segment 1 (strict >)
    [InlineData(201, 20 + 1)]
    [InlineData(1600, 150 + 100)]
    public void Activate_PicksTheHighestSegmentStrictlyBelow(long value, int expected)
    {
        Assert.Equal((byte)Math.Min(expected, 255), KpuActivation.Activate(value, Table()));
    }

    [Fact]
    public void Activate_BelowEverySegment_FallsBackToSegmentZero()
    {
        var t = Table();
        t[0] = new KpuActivationSegment(5, 2, 1, 7);
        // 5 is not > 5, nothing matches: segment 0 is used: (5 - 5)·2 >> 1 + 7 = 7; 3: (3-5)·2 = -4 >> 1 = -2 + 7 = 5
        Assert.Equal(7, KpuActivation.Activate(5, t));
        Assert.Equal(5, KpuActivation.Activate(3, t));
    }

    [Fact]
    public void BatchNorm_ShiftsArithmetically()
    {
        Assert.Equal(((-1001L * 3) >> 4) + 10, KpuActivation.BatchNorm(-1001, new KpuBatchNorm(3, 10, 4)));
        Assert.Equal(-188 + 10, KpuActivation.BatchNorm(-1001, new KpuBatchNorm(3, 10, 4)));
    }
}
