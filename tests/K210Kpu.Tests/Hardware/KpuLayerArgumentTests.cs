using System.Buffers.Binary;
using CsCheck;
using K210Kpu.Hardware;

namespace K210Kpu.Tests.Hardware;

public class KpuLayerArgumentTests
{
    // kpu-and-kmodel-v3 §3.8 worked vector.
    private static readonly ulong[] WorkedVector =
    [
        0x0000000000000000, 0x00007E0000007F00, 0x0007000700000002, 0x00001C0700003C0F, 0x00000000800F0411, 0x00000000006C0001,
        0x0000000000000000, 0x00000000C0010010, 0x0000000000410008, 0x00FFFF9CFFFF8000, 0x000000000001C200, 0x000001FF003F0000,
    ];

    private static KpuLayerArgument Decode(ulong[] words)
    {
        var b = new byte[96];
        for (int i = 0; i < 12; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(i * 8), words[i]);
        }

        return new KpuLayerArgument(b);
    }

    [Fact]
    public void Decode_WorkedVector_GivesSpecFields()
    {
        KpuLayerArgument a = Decode(WorkedVector);
        Assert.False(a.DepthWiseLayer);
        Assert.Equal(0x7F00, a.ImageSrcAddr);
        Assert.Equal(0x7E00, a.ImageDstAddr);
        Assert.Equal((16, 16, 3), (a.InputWidth, a.InputHeight, a.InputChannels));
        Assert.Equal((8, 8, 8), (a.OutputWidth, a.OutputHeight, a.OutputChannels));
        Assert.Equal(7, a.OChNumCoef);
        Assert.Equal(1, a.KernelType);
        Assert.Equal(3, a.KernelSize);
        Assert.Equal(1, a.PoolType);
        Assert.True(a.LoadPara);
        Assert.Equal(15, a.DmaBurstSize);
        Assert.Equal(128, a.PadValue);
        Assert.True(a.LoadCoor);
        Assert.Equal(0, a.LoadTime);
        Assert.Equal(216, a.ParaSize);
        Assert.Equal(16, a.ChannelSwitchAddr);
        Assert.Equal(1, a.RowSwitchAddr);
        Assert.Equal(4, a.CoefGroup);
        Assert.True(a.LoadAct);
        Assert.Equal(8, a.WbChannelSwitchAddr);
        Assert.Equal(1, a.WbRowSwitchAddr);
        Assert.Equal(4, a.WbGroup);
        Assert.Equal(-100, a.ArgX);
        Assert.Equal(-128, a.ArgW);
        Assert.Equal(0, a.ShrX);
        Assert.Equal(0, a.ShrW);
        Assert.Equal(115200, a.ArgAdd);
        Assert.Equal(63, a.ChannelByteNum);
        Assert.Equal(511u, a.DmaTotalByte);
    }

    [Fact]
    public void Decode_WorkedBatchNormAndActivationWords()
    {
        KpuBatchNorm bn = KpuBatchNorm.FromWord(0x0FFFFFCFC7FFF448);
        Assert.Equal(new KpuBatchNorm(-3000, -12345, 15), bn);
        var table = new byte[144];
        BinaryPrimitives.WriteUInt64LittleEndian(table, 0x0800000000FFFE14);
        KpuActivationSegment s = KpuTables.ReadActivation(table)[0];
        Assert.Equal(-(1L << 35), s.StartX);
        Assert.Equal(-2, s.Mul);
        Assert.Equal(20, s.Shift);
    }

    [Fact]
    public void Builder_MatchesWorkedVector()
    {
        var b = new KpuRegisterBuilder
        {
            InW = 16, InH = 16, InC = 3, OutC = 8, KernelType = 1, PoolType = 1, SrcRow = 0x7F00, DstRow = 0x7E00,
            PadValue = 128, ArgX = -100, ArgW = -128, ArgAdd = 115200,
        };
        Assert.Equal(WorkedVector, b.Words());
    }

    [Fact]
    public void SignedFields_RoundTrip()
    {
        Gen.Select(Gen.Long[-(1L << 23), (1L << 23) - 1], Gen.Long[-(1L << 23), (1L << 23) - 1], Gen.Long[-(1L << 39), (1L << 39) - 1], Gen.Int[0, 15], Gen.Int[0, 15])
            .Sample((ax, aw, add, sx, sw) =>
            {
                KpuLayerArgument a = Decode(new KpuRegisterBuilder { ArgX = ax, ArgW = aw, ArgAdd = add, ShrX = sx, ShrW = sw }.Words());
                return a.ArgX == ax && a.ArgW == aw && a.ArgAdd == add && a.ShrX == sx && a.ShrW == sw;
            });
    }
}
