using System.Buffers.Binary;
using K210Kpu.Analysis;

namespace K210Kpu.Tests.Analysis;

public class ModelCheckTests
{
    private static KModel Small(KModelFormat format = KModelFormat.V3, long kpuRam = 512 * 1024, int fileBytes = 400_000, long mainMemory = 45_000) =>
        SyntheticModel.Build(
            [SyntheticModel.Conv(0, 320, 240, 3, 16, 3, pool: 1, opCode: format == KModelFormat.V4 ? 0x2002u : 10240u), SyntheticModel.Cpu(1, format == KModelFormat.V4 ? 0x03u : 12u, "Dequantize", 9000 * 4)],
            format,
            mainMemory,
            kpuRam,
            fileBytes);

    [Fact]
    public void Check_SmallV3Model_IsOkWithExitCode0()
    {
        ModelCheckResult r = ModelCheck.Check(Small());
        Assert.True(r.Verdict == CheckVerdict.Ok, string.Join("\n", r.Findings));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(r.Findings, f => f.Code == "timing");
        Assert.NotNull(r.Estimate);
        Assert.Equal(400_000 + 45_000, r.HeapNeededBytes);
    }

    [Fact]
    public void Check_OverKpuRam_WillFail()
    {
        ModelCheckResult r = ModelCheck.Check(Small(kpuRam: 3 * 1024 * 1024));
        Assert.Equal(CheckVerdict.WillFail, r.Verdict);
        Assert.Equal(ModelCheck.ExitWillFail, r.ExitCode);
        CheckFinding f = Assert.Single(r.Findings, f => f.Code == "kpu-ram");
        Assert.Equal(CheckVerdict.WillFail, f.Verdict);
        Assert.Contains("3.00 MiB", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LayerMapsPastTheEndOfKpuRam_WillFail()
    {
        LayerDescriptor conv = SyntheticModel.Conv(0, 320, 240, 3, 16, 3, pool: 1);
        conv = new LayerDescriptor(0, conv.OpCode, conv.Name, 0, 0) { Kpu = conv.Kpu! with { DestinationRow = 32_000 }, OutputBytes = conv.OutputBytes };
        ModelCheckResult r = ModelCheck.Check(SyntheticModel.Build([conv]));
        CheckFinding f = Assert.Single(r.Findings, f => f.Code == "kpu-ram");
        Assert.Equal(CheckVerdict.WillFail, f.Verdict);
        Assert.Equal(0, f.LayerIndex);
    }

    [Fact]
    public void Check_OverMaixPyHeapBudget_WillFailWithNoMem()
    {
        ModelCheckResult r = ModelCheck.Check(Small(fileBytes: 3_800_000));
        CheckFinding f = Assert.Single(r.Findings, f => f.Code == "heap");
        Assert.Equal(CheckVerdict.WillFail, f.Verdict);
        Assert.Contains("2006", f.Message, StringComparison.Ordinal);
        Assert.Contains("load_flash", f.Message, StringComparison.Ordinal);
        Assert.Equal(5, r.ExitCode);
    }

    [Fact]
    public void Check_BetweenTypicalAndMaximumMaixPyHeap_Warns()
    {
        ModelCheckResult r = ModelCheck.Check(Small(fileBytes: 2_700_000));
        Assert.Equal(CheckVerdict.Warning, Assert.Single(r.Findings, f => f.Code == "heap").Verdict);
        Assert.Equal(CheckVerdict.Warning, r.Verdict);
        Assert.Equal(ModelCheck.ExitWarning, r.ExitCode);
    }

    [Fact]
    public void Check_UserHeapFigure_DecidesTheHeapVerdict()
    {
        KModel m = Small(fileBytes: 2_700_000);
        Assert.Equal(CheckVerdict.Ok, Assert.Single(ModelCheck.Check(m, new ModelCheckOptions { HeapBytes = 3_000_000 }).Findings, f => f.Code == "heap").Verdict);
        ModelCheckResult r = ModelCheck.Check(m, new ModelCheckOptions { HeapBytes = 2_000_000 });
        Assert.Equal(CheckVerdict.WillFail, Assert.Single(r.Findings, f => f.Code == "heap").Verdict);
        Assert.Equal(2_000_000, r.HeapBudgetBytes);
    }

    [Fact]
    public void Check_SdkBudgets_AreLargerThanMaixPys()
    {
        var sdk = new ModelCheckOptions { Firmware = TargetFirmware.Sdk };
        Assert.Equal(CheckVerdict.Ok, ModelCheck.Check(Small(fileBytes: 3_800_000), sdk).Verdict);
        Assert.Equal(CheckVerdict.Warning, Assert.Single(ModelCheck.Check(Small(fileBytes: 5_400_000), sdk).Findings, f => f.Code == "heap").Verdict);
        ModelCheckResult big = ModelCheck.Check(Small(fileBytes: 6_400_000), sdk);
        Assert.Equal(CheckVerdict.WillFail, Assert.Single(big.Findings, f => f.Code == "heap").Verdict);
        Assert.Equal(CheckVerdict.WillFail, Assert.Single(big.Findings, f => f.Code == "parameters").Verdict);
    }

    [Fact]
    public void Check_ParametersInTheRealtimeLimitBand_Warn()
    {
        ModelCheckResult r = ModelCheck.Check(Small(fileBytes: 5_900_000), new ModelCheckOptions { Firmware = TargetFirmware.Sdk, HeapBytes = 7_000_000 });
        Assert.Equal(CheckVerdict.Warning, Assert.Single(r.Findings, f => f.Code == "parameters").Verdict);
    }

    [Fact]
    public void Check_V4OnDefaultMaixPy_WillFail_ButLoadsWithV4SupportOrSdk()
    {
        KModel v4 = Small(KModelFormat.V4);
        CheckFinding f = Assert.Single(ModelCheck.Check(v4).Findings, f => f.Code == "format");
        Assert.Equal(CheckVerdict.WillFail, f.Verdict);
        Assert.Contains("CONFIG_MICROPYTHON_KMODEL_V4_SUPPORT=n", f.Message, StringComparison.Ordinal);
        Assert.Equal(CheckVerdict.Ok, Assert.Single(ModelCheck.Check(v4, new ModelCheckOptions { MaixPyV4Support = true }).Findings, f => f.Code == "format").Verdict);
        Assert.Equal(CheckVerdict.Ok, Assert.Single(ModelCheck.Check(v4, new ModelCheckOptions { Firmware = TargetFirmware.Sdk }).Findings, f => f.Code == "format").Verdict);
    }

    [Fact]
    public void Check_V4CpuConvolution_WarnsAboutCpuFallback()
    {
        KModel m = SyntheticModel.Build(
            [SyntheticModel.Conv(0, 64, 64, 3, 8, 3, opCode: 0x2002, name: "KPUConv2D"), new LayerDescriptor(1, 0x0F, "QuantizedConv2D", 0, 0) { OutputBytes = 8 * 2 * 2, Macs = 100_000 }, new LayerDescriptor(2, 0x04, "MatMul", 0, 0) { OutputBytes = 40, OutputType = ElementType.Float32, Macs = 840 }],
            KModelFormat.V4);
        ModelCheckResult r = ModelCheck.Check(m, new ModelCheckOptions { MaixPyV4Support = true });
        CheckFinding f = Assert.Single(r.Findings, f => f.Code == "cpu-layers" && f.LayerIndex == 1);
        Assert.Equal(CheckVerdict.Warning, f.Verdict);
        Assert.DoesNotContain(r.Findings, f => f.LayerIndex == 2); // a 10-class matmul is not slow
        Assert.Equal(CheckVerdict.Warning, r.Verdict);
    }

    [Fact]
    public void Check_LegacyFormat_FailsOnMaixPy_WarnsOnSdk()
    {
        KModel m = Small(KModelFormat.Legacy);
        Assert.Equal(CheckVerdict.WillFail, Assert.Single(ModelCheck.Check(m).Findings, f => f.Code == "format").Verdict);
        Assert.Equal(CheckVerdict.Warning, Assert.Single(ModelCheck.Check(m, new ModelCheckOptions { Firmware = TargetFirmware.Sdk }).Findings, f => f.Code == "format").Verdict);
    }

    [Fact]
    public void Check_MapSmallerThan4x4_Warns()
    {
        KModel m = SyntheticModel.Build([SyntheticModel.Conv(0, 2, 2, 64, 64, 1)]);
        Assert.Equal(CheckVerdict.Warning, Assert.Single(ModelCheck.Check(m).Findings, f => f.Code == "small-map").Verdict);
    }

    [Fact]
    public void Check_V3FileWithLayerTypeTheSdkAbortsOn_WillFailNamingTheLayer()
    {
        byte[] file = V3Bytes.Build(64, [(16, 16)], V3Bytes.FullyConnected(0, 4), V3Bytes.FloatMaxPool(4, 16));
        ModelCheckResult r = ModelCheck.Check(file);
        Assert.Equal(CheckVerdict.WillFail, r.Verdict);
        Assert.Equal(5, r.ExitCode);
        Assert.Null(r.Model);
        CheckFinding f = Assert.Single(r.Findings, f => f.Code == "layer-type" && f.Verdict == CheckVerdict.WillFail);
        Assert.Equal(1, f.LayerIndex);
        Assert.Contains("MAX_POOL2D", f.Message, StringComparison.Ordinal);
        Assert.Contains("not supported", f.Message, StringComparison.Ordinal);
        Assert.Equal("kmodel V3 (nncase 0.1)", r.Description);
        Assert.Equal(file.Length + 64, r.HeapNeededBytes);
    }

    [Fact]
    public void Check_V3FileWithSeveralBadTypes_NamesEveryOne()
    {
        byte[] file = V3Bytes.Build(
            64,
            [(16, 16)],
            V3Bytes.FullyConnected(0, 4),
            (3, [0, 0, 0]),      // GLOBAL_MAX_POOL2D: no struct, never implemented
            (19, [0, 0, 0]),     // QUANTIZED_FULLY_CONNECTED
            (9999, [0]));        // not a type at all
        ModelCheckResult r = ModelCheck.Check(file);
        int[] bad = r.Findings.Where(f => f.Code == "layer-type" && f.Verdict == CheckVerdict.WillFail).Select(f => f.LayerIndex).ToArray();
        Assert.Equal([1, 2, 3], bad);
    }

    [Fact]
    public void Check_V3FileStartingWithSoftmax_WillFailOnFirstLayer()
    {
        byte[] file = V3Bytes.Build(64, [(16, 16)], V3Bytes.Softmax(0, 16, 4));
        ModelCheckResult r = ModelCheck.Check(file);
        CheckFinding f = Assert.Single(r.Findings, f => f.Code == "first-layer");
        Assert.Equal(CheckVerdict.WillFail, f.Verdict);
    }

    [Fact]
    public void Check_V5Header_WillFailOnBothFirmwares()
    {
        byte[] v5 = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(v5, 0x4B4D444C);
        BinaryPrimitives.WriteUInt32LittleEndian(v5.AsSpan(4), 5);
        foreach (TargetFirmware fw in new[] { TargetFirmware.MaixPy, TargetFirmware.Sdk })
        {
            ModelCheckResult r = ModelCheck.Check(v5, new ModelCheckOptions { Firmware = fw });
            Assert.Equal(CheckVerdict.WillFail, r.Verdict);
            CheckFinding f = Assert.Single(r.Findings, f => f.Code == "format");
            Assert.Contains("V5", f.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_NotAModel_WillFailWithoutThrowing()
    {
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13];
        ModelCheckResult r = ModelCheck.Check(png);
        Assert.Equal(CheckVerdict.WillFail, r.Verdict);
        Assert.Contains("PNG", r.Description, StringComparison.Ordinal);
        Assert.Equal(5, r.ExitCode);
    }

    [Theory]
    [InlineData(0x300000L, null, CheckVerdict.Ok)]
    [InlineData(0x200000L, null, CheckVerdict.Warning)]
    [InlineData(0x200000L, 0x180000L, CheckVerdict.Ok)]
    [InlineData(0x200000L, 0x280000L, CheckVerdict.WillFail)]
    [InlineData(0xC80000L, null, CheckVerdict.WillFail)]
    [InlineData(0L, null, CheckVerdict.WillFail)]
    public void Check_FlashPlacementOnMaixPy(long offset, long? firmware, CheckVerdict expected)
    {
        ModelCheckResult r = ModelCheck.Check(Small(fileBytes: 1_000_000), new ModelCheckOptions { FlashOffset = offset, FirmwareBytes = firmware });
        CheckVerdict worst = r.Findings.Where(f => f.Code == "flash").Max(f => f.Verdict);
        Assert.Equal(expected, worst);
    }

    [Fact]
    public void Check_FlashPastTheEnd_WillFailOnSdk()
    {
        var sdk = new ModelCheckOptions { Firmware = TargetFirmware.Sdk, FlashOffset = 0xF80000 };
        CheckFinding f = Assert.Single(ModelCheck.Check(Small(fileBytes: 1_000_000), sdk).Findings, f => f.Code == "flash");
        Assert.Equal(CheckVerdict.WillFail, f.Verdict);
        Assert.Contains("past the end", f.Message, StringComparison.Ordinal);

        // The SDK has no file system area: 0xC80000 is fine there.
        var sdkLow = new ModelCheckOptions { Firmware = TargetFirmware.Sdk, FlashOffset = 0xC80000 };
        Assert.Equal(CheckVerdict.Ok, Assert.Single(ModelCheck.Check(Small(fileBytes: 1_000_000), sdkLow).Findings, f => f.Code == "flash").Verdict);
    }

    [Fact]
    public void CheckFile_LargerThanAnyModel_WillFailWithoutReadingItAll()
    {
        string path = Path.GetTempFileName();
        try
        {
            using (FileStream fs = File.OpenWrite(path))
            {
                fs.Write([3, 0, 0, 0]);
                fs.SetLength(KModel.MaxFileBytes + 1L); // sparse: nothing past the header is written
            }

            ModelCheckResult r = ModelCheck.CheckFile(path);
            Assert.Equal(CheckVerdict.WillFail, r.Verdict);
            Assert.Equal(KModel.MaxFileBytes + 1L, r.FileBytes);
            Assert.Contains(r.Findings, f => f.Code == "load" && f.Message.Contains("16.00 MiB", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Check_NoFlashOffset_SkipsFlashCheck() =>
        Assert.DoesNotContain(ModelCheck.Check(Small()).Findings, f => f.Code == "flash");

    [Fact]
    public void Check_NegativeFigures_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelCheck.Check(Small(), new ModelCheckOptions { HeapBytes = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelCheck.Check(Small(), new ModelCheckOptions { FlashOffset = -1 }));
    }

    [Theory]
    [InlineData(CheckVerdict.Ok, 0)]
    [InlineData(CheckVerdict.Warning, 4)]
    [InlineData(CheckVerdict.WillFail, 5)]
    public void ExitCodeFor_MapsVerdicts(CheckVerdict verdict, int code) => Assert.Equal(code, ModelCheck.ExitCodeFor(verdict));

    [SharedFact]
    public void Check_RealV5File_WillFail()
    {
        ModelCheckResult r = ModelCheck.CheckFile(TestFiles.Model("nncase_yolox_nano_224_v5")!);
        Assert.Equal(CheckVerdict.WillFail, r.Verdict);
        Assert.Contains(r.Findings, f => f.Code == "format" && f.Message.Contains("V5", StringComparison.Ordinal));
    }

    [RealModelFact("maixpy_face_yolo2_v3")]
    public void Check_RealFaceModelAt0x300000_IsOkOnMaixPy()
    {
        ModelCheckResult r = ModelCheck.CheckFile(TestFiles.Model("maixpy_face_yolo2_v3")!, new ModelCheckOptions { FlashOffset = 0x300000 });
        Assert.True(r.Verdict == CheckVerdict.Ok, string.Join("\n", r.Findings));
    }

    [RealModelFact("maixpy_mbnet75_imagenet_v3")]
    public void Check_RealMbnet75_WarnsOnMaixPyHeap_OkOnSdk()
    {
        string path = TestFiles.Model("maixpy_mbnet75_imagenet_v3")!;
        ModelCheckResult maixPy = ModelCheck.CheckFile(path);
        Assert.Equal(CheckVerdict.Warning, Assert.Single(maixPy.Findings, f => f.Code == "heap").Verdict);
        ModelCheckResult sdk = ModelCheck.CheckFile(path, new ModelCheckOptions { Firmware = TargetFirmware.Sdk });
        Assert.True(sdk.Verdict == CheckVerdict.Ok, string.Join("\n", sdk.Findings));
    }

    [RealModelFact("nncase_voc20_yolo2_v4")]
    public void Check_RealV4Model_WillFailOnDefaultMaixPy()
    {
        ModelCheckResult r = ModelCheck.CheckFile(TestFiles.Model("nncase_voc20_yolo2_v4")!);
        Assert.Equal(CheckVerdict.WillFail, Assert.Single(r.Findings, f => f.Code == "format").Verdict);
    }
}
