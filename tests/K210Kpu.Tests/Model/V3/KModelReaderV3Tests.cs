using CsCheck;
using K210Kpu.Tests.Hardware;
using static K210Kpu.Tests.Runtime.V3.V3Run;

namespace K210Kpu.Tests.Model.V3;

public class KModelReaderV3Tests
{
    private static V3ModelBuilder Fc(uint main = 64) => new V3ModelBuilder { MainMemory = main }.Layer(18, 0, 0u, 16u, 2u, 2u, 0u, new float[6]);

    [Theory]
    [InlineData(0u, "Invalid")]
    [InlineData(3u, "GlobalMaxPool2d")]
    [InlineData(4u, "QuantizedGlobalMaxPool2d")]
    [InlineData(6u, "QuantizedGlobalAveragePool2d")]
    [InlineData(7u, "MaxPool2d")]
    [InlineData(10u, "QuantizedAveragePool2d")]
    [InlineData(19u, "QuantizedFullyConnected")]
    [InlineData(21u, "QuantizedTensorflowFlatten")]
    [InlineData(26u, "unknown")]
    [InlineData(10244u, "unknown")]
    public void Load_LayerTypeTheSdkCannotRun_ThrowsUnsupportedOperator(uint type, string name)
    {
        byte[] model = Fc().RawLayer(type, new byte[64]).Build();
        UnsupportedOperatorException e = Assert.Throws<UnsupportedOperatorException>(() => KModel.Load(model));
        Assert.Equal(type, e.OpCode);
        Assert.Equal(name, e.OpName);
        Assert.Equal(1, e.LayerIndex);
    }

    [Fact]
    public void Load_LastBodyShortByItsPadding_IsTolerated_ButNotMore()
    {
        byte[] model = Fc().Build();               // header 28 + 8, one FC body of 48 bytes padded to 52
        Assert.Equal(28 + 8 + 52, model.Length);
        KModel.Load(model[..^4]);                  // only the padding is missing (as in nncase_iris_v3)
        Assert.Throws<KModelFormatException>(() => KModel.Load(model[..^5]));  // a weight byte is missing
        byte[] declaredLonger = (byte[])model.Clone();
        BitConverter.GetBytes(52u + 8u).CopyTo(declaredLonger, 28 + 4);       // body_size 8 past the end
        Assert.Throws<KModelFormatException>(() => KModel.Load(declaredLonger));
    }

    [Fact]
    public void Load_TrailingBytes_AreIgnored()
    {
        byte[] model = [.. Fc().Output(16, 8).Build(), 1, 2, 3, 4, 5, 6, 7, 8];
        using Interpreter it = Run(model, Bytes(1f, 2f));
        Assert.Equal(8, it.GetOutput(0).Length);
    }

    [Fact]
    public void Load_OutputBeyondMainMemory_ThrowsValidation()
    {
        KModelValidationException e = Assert.Throws<KModelValidationException>(() => KModel.Load(Fc().Output(60, 8).Build()));
        Assert.Equal(-1, e.LayerIndex);
    }

    [Fact]
    public void Load_LayerWritingBeyondMainMemory_NamesTheLayer()
    {
        byte[] model = Fc().Layer(12, 0, 16u, 40u, 8u, 1f, 0f).Build();  // 8 floats at 40 need 72 > 64 bytes
        KModelValidationException e = Assert.Throws<KModelValidationException>(() => KModel.Load(model));
        Assert.Equal(1, e.LayerIndex);
        Assert.Contains("Dequantize", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(18u, new uint[] { 0, 16, 0xFFFFFFFF, 0xFFFFFFFF, 0 })]        // FC whose weight count overflows 64 bits
    [InlineData(5u, new uint[] { 0, 16, 0xFFFFFFFF, 0xFFFFFFFF })]            // GAP whose input size overflows
    [InlineData(24u, new uint[] { 0, 16, 1, 0xFFFFFFFF, 0, 0 })]              // channelwise dequantize with a huge channel
    public void Load_HugeCounts_ThrowKModelExceptions(uint type, uint[] fields)
    {
        byte[] model = Fc().Layer(type, 0, fields.Cast<object>().ToArray()).Build();
        Assert.ThrowsAny<KModelException>(() => KModel.Load(model));
    }

    [Fact]
    public void Load_FirstLayerNotConvOrFc_ThrowsValidation()
    {
        byte[] model = new V3ModelBuilder { MainMemory = 64 }.Layer(12, 0, 0u, 16u, 4u, 1f, 0f).Build();
        Assert.Equal(0, Assert.Throws<KModelValidationException>(() => KModel.Load(model)).LayerIndex);
    }

    [Theory]
    [InlineData(32760, 0)]     // input map runs past row 32767
    [InlineData(0, 32767)]     // output map runs past row 32767
    public void Load_ConvMapBeyondKpuRam_ThrowsValidation(int src, int dst)
    {
        var r = new KpuRegisterBuilder { InW = 64, InH = 16, InC = 1, OutC = 1, SrcRow = src, DstRow = dst };
        byte[] model = new V3ModelBuilder { MainMemory = 64 }.Conv(r.Bytes(), new byte[1], [0], KpuRegisterBuilder.SimpleActivation()).Build();
        Assert.Equal(0, Assert.Throws<KModelValidationException>(() => KModel.Load(model)).LayerIndex);
    }

    [Fact]
    public void Load_ConvWithUndefinedPoolType_ThrowsValidation()
    {
        byte[] regs = new KpuRegisterBuilder { InW = 8, InH = 8 }.Bytes();
        regs[32] |= 0xA0; // pool_type 10
        byte[] model = new V3ModelBuilder { MainMemory = 64 }.Conv(regs, new byte[1], [0], KpuRegisterBuilder.SimpleActivation()).Build();
        Assert.Throws<KModelValidationException>(() => KModel.Load(model));
    }

    [Fact]
    public void Load_MainOutputConvWithWrongDmaLength_ThrowsValidation()
    {
        byte[] regs = new KpuRegisterBuilder { InW = 8, InH = 8 }.Bytes();
        regs[88 + 4] = 0; // dma_total_byte = 0 instead of 63
        byte[] model = new V3ModelBuilder { MainMemory = 64 }.Conv(regs, new byte[1], [0], KpuRegisterBuilder.SimpleActivation(), mainOut: true).Build();
        Assert.Equal(0, Assert.Throws<KModelValidationException>(() => KModel.Load(model)).LayerIndex);
        regs[88 + 4] = 63;
        KModel.Load(new V3ModelBuilder { MainMemory = 64 }.Conv(regs, new byte[1], [0], KpuRegisterBuilder.SimpleActivation(), mainOut: true).Build());
    }

    [Fact]
    public void Load_ConvTablesOutsideTheFile_ThrowsFormatWithOffset()
    {
        byte[] model = new V3ModelBuilder { MainMemory = 64 }
            .Conv(new KpuRegisterBuilder { InW = 8, InH = 8, InC = 4, OutC = 4 }.Bytes(), new byte[4], [0, 0, 0, 0], KpuRegisterBuilder.SimpleActivation()).Build();
        KModel.Load(model);
        byte[] broken = (byte[])model.Clone();
        int body = 28 + 8;
        BitConverter.GetBytes((uint)(model.Length + 100)).CopyTo(broken, body + 12); // weights_offset
        KModelFormatException e = Assert.Throws<KModelFormatException>(() => KModel.Load(broken));
        Assert.Equal(model.Length + 100, e.Offset);
    }

    private static readonly byte[][] Seeds =
    [
        Fc().Layer(12, 0, 16u, 32u, 8u, 1f, 0f).Layer(15, 0, 32u, 0u, 4u).Output(0, 16).Build(),
        new V3ModelBuilder { MainMemory = 128 }
            .Conv(new KpuRegisterBuilder { InW = 8, InH = 8, InC = 2, OutC = 2, KernelType = 1, PoolType = 1 }.Bytes(), new byte[36], [1, 2], KpuRegisterBuilder.SimpleActivation(), true, 0)
            .Layer(12, 0, 0u, 32u, 32u, 0.5f, 0f).Output(32, 64).Build(),
    ];

    private static void LoadAndMaybeRun(byte[] bytes)
    {
        KModel model;
        try
        {
            model = KModel.Load(bytes);
        }
        catch (KModelException)
        {
            return;
        }

        using var it = new Interpreter(model);
        it.SetInput(0, new byte[model.Inputs[0].ByteSize]);
        it.Run();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            Assert.Equal(model.Layers[i].OutputBytes, it.ReadLayerOutput(i).Length);
        }
    }

    [Fact]
    public void Load_RandomBytes_ThrowsOnlyKModelExceptions() =>
        Gen.Byte.Array[0, 300].Sample(b => LoadAndMaybeRun([3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, .. b]), iter: 2000);

    [Fact]
    public void Load_TruncatedOrCorruptedModels_ThrowOnlyKModelExceptions_AndValidModelsRun() =>
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[0, 400], Gen.Int[0, 400], Gen.Byte, Gen.Bool).Sample((s, cut, at, value, corrupt) =>
        {
            byte[] b = (byte[])Seeds[s].Clone();
            if (corrupt)
            {
                b[Math.Min(at, b.Length - 1)] = value;
            }
            else
            {
                b = b[..Math.Min(cut, b.Length)];
            }

            LoadAndMaybeRun(b);
        }, iter: 3000);

    [Fact]
    public void Load_TruncatedRealModel_ThrowsFormatException()
    {
        byte[] face = File.ReadAllBytes(Path.Combine(TestFiles.DataDir, "models", "maixpy_face_yolo2_v3.kmodel"));
        foreach (int length in new[] { 3, 27, 100, 300, 1000, 5000, 100000, face.Length - 9 })
        {
            Assert.ThrowsAny<KModelException>(() => KModel.Load(face[..length]));
        }
    }
}
