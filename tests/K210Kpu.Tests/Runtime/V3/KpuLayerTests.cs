using K210Kpu.Hardware;
using K210Kpu.Tests.Hardware;
using K210Kpu.Tests.Kernels;
using K210Kpu.Tests.Model.V3;
using static K210Kpu.Tests.Runtime.V3.V3Run;

namespace K210Kpu.Tests.Runtime.V3;

/// <summary>K210_CONV, K210_UPLOAD, K210_ADD_PADDING and K210_REMOVE_PADDING in hand-built V3 files.</summary>
public class KpuLayerTests
{
    private static readonly KpuRegisterBuilder Conv0 = new() { InW = 4, InH = 4, InC = 3, OutC = 3, KernelType = 1, SrcRow = 100, DstRow = 200, ArgX = -2, ArgW = -5, ArgAdd = 40 };

    private static (byte[] Weights, ulong[] Bn, byte[] Act) Tables(KpuRegisterBuilder r, bool sixteenBit, int seed)
    {
        var rnd = new Random(seed);
        int k = r.KernelType == 0 ? 1 : 3;
        var weights = new byte[(r.Depthwise ? r.OutC : r.InC * r.OutC) * k * k * (sixteenBit ? 2 : 1)];
        rnd.NextBytes(weights);
        ulong[] bn = Enumerable.Range(0, r.OutC).Select(_ => KpuRegisterBuilder.BatchNorm(rnd.Next(1, 300), rnd.Next(-5000, 5000), 8)).ToArray();
        return (weights, bn, KpuRegisterBuilder.SimpleActivation(shift: 6));
    }

    private static byte[] Expected(KpuRegisterBuilder r, byte[] input, byte[] weightBytes, ulong[] bn, byte[] act, bool sixteenBit)
    {
        var ram = new KpuRam();
        var a = new KpuLayerArgument(r.Bytes());
        ram.Upload(input, a.ImageSrcAddr, a.InputWidth, a.InputHeight, a.InputChannels);
        int per = weightBytes.Length / (sixteenBit ? 2 : 1) / a.OutputChannels;
        int[][] w = Enumerable.Range(0, a.OutputChannels).Select(oc => Enumerable.Range(0, per)
            .Select(i => sixteenBit ? weightBytes[((oc * per) + i) * 2] | (weightBytes[(((oc * per) + i) * 2) + 1] << 8) : weightBytes[(oc * per) + i]).ToArray()).ToArray();
        return ReferenceKpu.Run(ram, a, w, bn.Select(KpuBatchNorm.FromWord).ToArray(), KpuTables.ReadActivation(act));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConvFirst_MainOutput_MatchesReference(bool eightBit)
    {
        (byte[] w, ulong[] bn, byte[] act) = Tables(Conv0, !eightBit, 1);
        byte[] model = new V3ModelBuilder { Flags = eightBit ? 1u : 0u, MainMemory = 256 }
            .Conv(Conv0.Bytes(), w, bn, act, mainOut: true, mainOutAddress: 16)
            .Output(16, 48)
            .Build();
        byte[] input = Enumerable.Range(0, 48).Select(i => (byte)(i * 5)).ToArray();
        using Interpreter it = Run(model, input);
        byte[] want = Expected(Conv0, input, w, bn, act, !eightBit);
        Assert.Equal(want, it.GetOutput(0).ToArray());
        Assert.Equal(want, it.ReadLayerOutput(0));
        Assert.Equal(ElementType.UInt8, it.Model.Outputs[0].ElementType);
        Assert.Equal([1, 3, 4, 4], it.Model.Outputs[0].Shape);
        Assert.Equal(new[] { 1, 3, 4, 4 }, it.Model.Inputs[0].Shape);
        KpuLayerInfo info = it.Model.Layers[0].Kpu!;
        Assert.Equal((4, 4, 4, 4, 3, 3, false, 1, 0), (info.InputWidth, info.InputHeight, info.OutputWidth, info.OutputHeight, info.InputChannels, info.OutputChannels, info.Depthwise, info.KernelType, info.PoolType));
        Assert.Equal(3 * 3 * 3 * 3, info.ParaSize);
        Assert.Equal(4L * 4 * 3 * 3 * 9, it.Model.Layers[0].Macs);
    }

    [Fact]
    public void UploadAddPaddingRemovePadding_MoveBytesAsSpecified()
    {
        (byte[] w, ulong[] bn, byte[] act) = Tables(Conv0, false, 2);
        byte[] model = new V3ModelBuilder { MainMemory = 512 }
            .Conv(Conv0.Bytes(), w, bn, act, mainOut: true, mainOutAddress: 0)
            .Layer(10243, 0, 0u, 300u, 4u, 4u, 3u)       // K210_UPLOAD main 0 -> row 300, 4x4x3
            .Layer(10241, 0, 0u, 400u, 3u)               // K210_ADD_PADDING main 0 -> row 400, 3 channels
            .Layer(10242, 0, 0u, 100u, 3u)               // K210_REMOVE_PADDING main 0 -> main 100
            .Output(100, 3)
            .Build();
        byte[] input = Enumerable.Range(0, 48).Select(i => (byte)(255 - i)).ToArray();
        using var it = new Interpreter(KModel.Load(model));
        it.SetInput(0, input);
        byte[]? conv = null, upload = null, padding = null;
        it.LayerCompleted = i =>
        {
            if (i == 0) conv = it.ReadLayerOutput(0);
            if (i == 1) upload = it.ReadLayerOutput(1);
            if (i == 2) padding = it.ReadLayerOutput(2);
        };
        it.Run();
        Assert.Equal(conv, upload);
        Assert.Equal(new[] { conv![0], conv[16], conv[32] }, padding);
        Assert.Equal(padding, it.GetOutput(0).ToArray());
        Assert.Equal(["K210Conv", "K210Upload", "K210AddPadding", "K210RemovePadding"], it.Model.Layers.Select(l => l.Name));
        Assert.Equal(MemoryKind.Kpu, it.Model.Layers[1].OutputMemory);
        Assert.Equal(300 * 64, it.Model.Layers[1].OutputStart);
    }
}
