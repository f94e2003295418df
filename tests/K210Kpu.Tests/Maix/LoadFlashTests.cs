using K210Kpu.Analysis;
using K210Kpu.Maix;
using K210Kpu.Tests.Model.V3;

namespace K210Kpu.Tests.Maix;

[Collection("Kpu")]
public class LoadFlashTests
{
    private const int FaceBody = 388776 - 228;

    [SharedFact]
    public void FaceModel_LoadFlashFromBePackage_GivesTheOutputsOfLoad()
    {
        var plain = new Flash();
        plain.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_at_0x300000.kfpkg"));
        var swapped = new Flash();
        swapped.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_be_at_0x600000.kfpkg"));
        byte[] input = File.ReadAllBytes(TestFiles.Repo("tests", "Data", "golden", "maixpy_face_yolo2_v3", "astronaut", "input.bin"));
        byte[] golden = File.ReadAllBytes(TestFiles.Repo("tests", "Data", "golden", "maixpy_face_yolo2_v3", "astronaut", "output_0.bin"));

        using KpuTask normal = Kpu.Load(plain, 0x300000);
        using KpuTask dual = Kpu.LoadFlash(swapped, 0x600000, true, 0xC000, 60_000_000);
        using KpuTask single = Kpu.LoadFlash(swapped, 0x600000, false, 0, 80_000_000);

        Assert.True(normal.Model.Bytes.Span.SequenceEqual(dual.Model.Bytes.Span));
        Assert.Equal(0x600000, dual.ModelAddress);
        Assert.Equal(388776, dual.ModelSize);
        Assert.Null(normal.FlashStreaming);

        byte[] expected;
        using (FeatureMap f = Kpu.Forward(normal, input))
        {
            expected = f.ToArray();
        }

        Assert.Equal(golden, expected);
        foreach (KpuTask task in new[] { dual, single })
        {
            using FeatureMap f = Kpu.Forward(task, input);
            Assert.Equal(expected, f.ToArray());
            Assert.Equal(1, task.FlashFramesStreamed);
            Assert.Equal(FaceBody, task.LastFrameFlashBytes);
            Assert.Equal(FaceBody, task.FlashStreaming!.StreamedBytesPerFrame);
            Assert.Equal(24, task.FlashStreaming.Layers.Count);
            Assert.Equal(228, task.FlashStreaming.HeadBytes);
        }

        // Run twice: each frame streams again.
        using (Kpu.Forward(dual, input))
        {
        }

        Assert.Equal(2, dual.FlashFramesStreamed);
        Assert.Equal(2L * FaceBody, dual.FlashBytesStreamed);
    }

    [SharedFact]
    public void FaceModel_BePackage_IsTheByteSwapOfTheModel()
    {
        var swapped = new Flash();
        FlashEntry e = Assert.Single(swapped.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_be_at_0x600000.kfpkg")));
        byte[] model = File.ReadAllBytes(TestFiles.Shared("models", "maixpy_face_yolo2_v3.kmodel"));
        Assert.Equal(FlashPack.ToFlashWordOrder(model), swapped.Read(0x600000, e.Length).ToArray());
        Assert.Equal(model, FlashPack.FromFlashWordOrder(swapped.Read(0x600000, e.Length)));
    }

    [SharedFact]
    public void FaceModel_ShortenedRun_StreamsOnlyTheLayersRun()
    {
        using KpuTask task = LoadFaceFlash(true, 0x4000);
        byte[] input = File.ReadAllBytes(TestFiles.Repo("tests", "Data", "golden", "maixpy_face_yolo2_v3", "astronaut", "input.bin"));
        using FeatureMap f = Kpu.Forward(task, input, 3);
        FlashStreamingPlan plan = task.FlashStreaming!;
        long expected = plan.Reads.Where(r => r.FirstLayer < 3).Sum(r => (long)r.Bytes);
        Assert.Equal(expected, task.LastFrameFlashBytes);
        Assert.True(expected < plan.StreamedBytesPerFrame);
    }

    [SharedFact]
    public void FlashWrittenAfterLoadFlash_NextRunFailsWith2008()
    {
        var flash = new Flash();
        flash.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_be_at_0x600000.kfpkg"));
        using KpuTask task = Kpu.LoadFlash(flash, 0x600000, false, 0, 60_000_000);
        flash.Write(0x600000 + 300_000, new byte[16]);
        var e = Assert.Throws<MaixPyException>(() => Kpu.Forward(task, new byte[320 * 240 * 3]));
        Assert.Equal(KpuErrorCode.RunModel, e.Code);
        Assert.Equal("OSError", e.PythonType);
        Assert.Contains("no longer holds the model", e.InnerException!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public void AddressNotPositive_RaisesModelAddr(int address)
    {
        var e = Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(new Flash(), address, false, 0, 60_000_000));
        Assert.Equal("[MAIXPY]kpu: model_addr must > 0", e.Message);
        Assert.Equal("ValueError", e.PythonType);
        Assert.Equal("[MAIXPY]kpu: model_addr must > 0", Assert.Throws<MaixPyException>(() => Kpu.LoadFlash((object)address, 1, 0xC000, 60_000_000)).Message);
    }

    public static TheoryData<object?, object?, object?, object?> NotIntegers() => new()
    {
        { 0x600000.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, 0xC000, 60_000_000 },
        { 0x600000, true, 0xC000, 60_000_000 },
        { 0x600000, 1, 49152.0, 60_000_000 },
        { 0x600000, 1, 0xC000, 6e7f },
        { 0x600000, 1, 0xC000, null },
        { null, 1, 0xC000, 60_000_000 },
    };

    [Theory]
    [MemberData(nameof(NotIntegers))]
    public void ArgumentNotAnInteger_RaisesArgFormatError(object? address, object? dual, object? batch, object? speed)
    {
        var e = Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(address, dual, batch, speed));
        Assert.Equal("[MAIXPY]kpu: load_flash arg format error: task=kpu.load_flash(flash_addr, is_dual_buf, batch_size, spi_speed)", e.Message);
        Assert.Equal("ValueError", e.PythonType);
        Assert.Equal(KpuErrorCode.None, e.Code);
    }

    [Theory]
    [InlineData(Flash.Size, false, 0, 60_000_000)]
    [InlineData(Flash.Size - 8, false, 0, 60_000_000)]
    [InlineData(0x600000, false, 0, 0)]
    [InlineData(0x600000, false, 0, -1)]
    [InlineData(0x600000, false, 0, 80_000_001)]
    [InlineData(0x600000, false, -1, 60_000_000)]
    [InlineData(0x600000, true, 0, 60_000_000)]
    public void BadValue_IsLoadFlashError2001(int address, bool dual, int batch, int speed)
    {
        var e = Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(new Flash(), address, dual, batch, speed));
        Assert.Equal(KpuErrorCode.Param, e.Code);
        Assert.Equal("[MAIXPY]kpu: load_flash error:2001, ERR_PARAM: please check param, load address or kmodel file name", e.Message);
    }

    [Fact]
    public void ObjectOverload_ValueBeyond32Bits_Is2001()
    {
        Assert.Equal(KpuErrorCode.Param, Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(0x1_0000_0000L, 1, 0xC000, 60_000_000)).Code);
        Assert.Equal(KpuErrorCode.Param, Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(0x600000, 1, 0xC000, 1L << 40)).Code);
    }

    [Fact]
    public void ErasedFlash_Is2002()
    {
        var e = Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(new Flash(), 0x600000, false, 0, 60_000_000));
        Assert.Equal(KpuErrorCode.KModelVersion, e.Code);
        Assert.Equal("[MAIXPY]kpu: load_flash error:2002, ERR_KMODEL_VERSION: only support kmodel V3/V4 now", e.Message);
    }

    [SharedFact]
    public void ModelNotByteSwapped_Is2002()
    {
        var flash = new Flash();
        flash.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_at_0x300000.kfpkg"));
        Assert.Equal(KpuErrorCode.KModelVersion, Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(flash, 0x300000, false, 0, 60_000_000)).Code);
    }

    [SharedTheory]
    [InlineData("nncase_iris_v4")]
    [InlineData("sdk_face_detect_legacy_v1")]
    public void NotV3_Is2002EvenWhenSwapped(string stem)
    {
        var flash = new Flash();
        flash.Write(0x600000, FlashPack.ToFlashWordOrder(File.ReadAllBytes(TestFiles.SharedModel(stem))));
        Assert.Equal(KpuErrorCode.KModelVersion, Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(flash, 0x600000, false, 0, 60_000_000)).Code);
    }

    [Fact]
    public void EmptyLayerBody_Is2003()
    {
        byte[] header = new byte[28 + 8 + 8];
        BitConverter.GetBytes(3).CopyTo(header, 0);
        BitConverter.GetBytes(1).CopyTo(header, 12);
        BitConverter.GetBytes(1).CopyTo(header, 24);
        BitConverter.GetBytes(12).CopyTo(header, 36);
        var flash = new Flash();
        flash.Write(0x1000, FlashPack.ToFlashWordOrder(header));
        var e = Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(flash, 0x1000, false, 0, 60_000_000));
        Assert.Equal("[MAIXPY]kpu: load_flash error:2003, ERR_KMODEL_FORMAT: layer_header.body_size <=0", e.Message);
    }

    [Fact]
    public void ModelLargerThanFlashLessFirmware_Is2001()
    {
        byte[] header = new byte[28 + 8 + 8];
        BitConverter.GetBytes(3).CopyTo(header, 0);
        BitConverter.GetBytes(1).CopyTo(header, 12);
        BitConverter.GetBytes(1).CopyTo(header, 24);
        BitConverter.GetBytes(12).CopyTo(header, 36);
        BitConverter.GetBytes((int)Kpu.MaxFlashModelBytes).CopyTo(header, 40);
        var flash = new Flash();
        flash.Write(0x1000, FlashPack.ToFlashWordOrder(header));
        Assert.Equal(KpuErrorCode.Param, Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(flash, 0x1000, false, 0, 60_000_000)).Code);
    }

    [Fact]
    public void ModelRunningPastTheFlashEnd_Is2003()
    {
        byte[] model = BigModel.Build(layers: 1, width: 16);
        var flash = new Flash();
        int address = Flash.Size - 64;
        flash.Write(address, FlashPack.ToFlashWordOrder(model)[..64]);
        Assert.Equal(KpuErrorCode.KModelFormat, Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(flash, address, false, 0, 60_000_000)).Code);
    }

    [SharedFact]
    public void BuffersAboveTheRealTimeLimit_Is2006()
    {
        var flash = new Flash();
        flash.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_be_at_0x600000.kfpkg"));
        var e = Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(flash, 0x600000, true, 4 * 1024 * 1024, 60_000_000));
        Assert.Equal(KpuErrorCode.NoMemory, e.Code);
        Assert.Equal("[MAIXPY]kpu: load_flash error:2006, ERR_NO_MEM: memory not enough", e.Message);
    }

    [SharedFact]
    public void SixthModel_Is2009()
    {
        var flash = new Flash();
        flash.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_be_at_0x600000.kfpkg"));
        var tasks = new List<KpuTask>();
        try
        {
            while (KpuTask.LoadedCount < KpuTask.MaxLoaded)
            {
                tasks.Add(Kpu.LoadFlash(flash, 0x600000, false, 0, 60_000_000));
            }

            var e = Assert.Throws<MaixPyException>(() => Kpu.LoadFlash(flash, 0x600000, false, 0, 60_000_000));
            Assert.Equal("[MAIXPY]kpu: load_flash error:2009, ERR_MODELS_FULL: we only support load 5 models in the same time", e.Message);
        }
        finally
        {
            tasks.ForEach(t => t.Dispose());
        }
    }

    [Fact]
    public void ModelAboveRealTimeLimit_RefusedByLoad_AcceptedByLoadFlash()
    {
        byte[] model = BigModel.Build(layers: 6, width: 512);
        Assert.True(model.Length > Kpu.RealTimeModelLimitBytes);
        Assert.True(Kpu.NeedsLoadFlash(model.Length));

        var flash = new Flash();
        flash.Write(0x300000, model);
        var refused = Assert.Throws<MaixPyException>(() => Kpu.Load(flash, 0x300000));
        Assert.Equal("[MAIXPY]kpu: load error:2006, ERR_NO_MEM: memory not enough", refused.Message);

        string path = Path.Combine(Path.GetTempPath(), $"k210kpu-big-{Guid.NewGuid():N}.kmodel");
        File.WriteAllBytes(path, model);
        try
        {
            Assert.Equal(KpuErrorCode.NoMemory, Assert.Throws<MaixPyException>(() => Kpu.Load(path)).Code);
        }
        finally
        {
            File.Delete(path);
        }

        flash.Write(0x300000, FlashPack.ToFlashWordOrder(model));
        using KpuTask task = Kpu.LoadFlash(flash, 0x300000, true, 0x10000, 80_000_000);
        Assert.Equal(6, task.FlashStreaming!.Reads.Count);
        FlashStreamingPlan plan = task.FlashStreaming!;
        Assert.True(plan.ResidentBytes <= Kpu.RealTimeModelLimitBytes);
        Assert.True(plan.StreamedBytesPerFrame >= model.Length - plan.HeadBytes);

        float[] input = Enumerable.Range(0, 512).Select(i => (i % 17) / 16f).ToArray();
        using FeatureMap f = Kpu.Forward(task, input);
        using var direct = new Interpreter(KModel.Load(model));
        direct.SetInput(0, System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()));
        direct.Run();
        Assert.Equal(direct.GetOutput(0).ToArray(), f.ToArray());
        Assert.Equal(plan.StreamedBytesPerFrame, task.LastFrameFlashBytes);
    }

    [Fact]
    public void ObjectOverload_WithIntegers_LoadsFromTheDefaultFlash()
    {
        byte[] model = BigModel.Build(layers: 2, width: 16);
        Flash.Default.Write(0x700000, FlashPack.ToFlashWordOrder(model));
        try
        {
            using KpuTask task = Kpu.LoadFlash(0x700000, 1, 0x4000, 60_000_000L);
            Assert.True(task.FlashStreaming!.IsDualBuffer);
            Assert.Equal(model.Length, task.ModelSize);
            using KpuTask single = Kpu.LoadFlash(0x700000, false, 0, 60_000_000);
            Assert.False(single.FlashStreaming!.IsDualBuffer);
        }
        finally
        {
            Flash.Default.Erase();
        }
    }

    [Fact]
    public void SpiClock_FollowsTheSdkDivider()
    {
        Assert.Equal(67_166_666.67, FlashStreamingPlan.ActualSpiClockHz(60_000_000), 0.01);
        Assert.Equal(80_600_000, FlashStreamingPlan.ActualSpiClockHz(80_000_000), 0.01);
        Assert.Equal(201_500_000, FlashStreamingPlan.ActualSpiClockHz(300_000_000), 0.01);
    }

    [SharedFact]
    public void Plan_SingleBufferWaitsForEveryRead_DoubleBufferHidesSome()
    {
        KModel model = KModel.Load(TestFiles.SharedModel("maixpy_face_yolo2_v3"));
        FlashStreamingPlan single = FlashStreamingPlan.Create(model, false, 0, 60_000_000);
        FlashStreamingPlan dual = FlashStreamingPlan.Create(model, true, 0xC000, 60_000_000);
        LatencyEstimate ram = LatencyEstimator.Estimate(model);

        Assert.Equal(model.Layers.Count, single.Reads.Count);
        Assert.Equal(single.SpiMillisecondsPerFrame, single.StallMilliseconds, 9);
        Assert.Equal(ram.ModelMilliseconds + single.SpiMillisecondsPerFrame, single.FrameMilliseconds, 9);
        Assert.Equal(FaceBody / (67_166_666.67 / 2) * 1e3, single.SpiMillisecondsPerFrame, 2);

        Assert.True(dual.Reads.Count < single.Reads.Count);
        Assert.All(dual.Reads, r => Assert.True(r.Bytes <= 0xC000 || r.FirstLayer == r.LastLayer));
        Assert.True(dual.StallMilliseconds < single.StallMilliseconds);
        Assert.True(dual.FrameMilliseconds >= ram.ModelMilliseconds);
        Assert.Equal(2L * Math.Max(0xC000, dual.Reads.Max(r => r.Bytes)), dual.BufferBytes);
        Assert.Equal(single.Reads.Max(r => r.Bytes), single.BufferBytes);

        // Published: 24 ms from RAM, 37 ms single, 34 ms double in MaixPy (about 11 ms of it MaixPy and region layer).
        Assert.InRange(single.FrameMilliseconds - ram.ModelMilliseconds, 9, 15);
        Assert.Contains("load_flash: 24 layer bodies", single.Summary(), StringComparison.Ordinal);
        Assert.Contains("K210Conv", dual.ToText(), StringComparison.Ordinal);
    }

    private static KpuTask LoadFaceFlash(bool dual, int batch)
    {
        var flash = new Flash();
        flash.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_be_at_0x600000.kfpkg"));
        return Kpu.LoadFlash(flash, 0x600000, dual, batch, 60_000_000);
    }
}

/// <summary>
/// A kmodel V3 made of <c>layers</c> float FULLY_CONNECTED layers of width × width, ping-ponging between main
/// addresses 0 and 4·width; weights a fixed pattern.
/// </summary>
internal static class BigModel
{
    public static byte[] Build(int layers, int width)
    {
        float[] weights = new float[width * width];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = ((i * 7919 % 201) - 100) / 1000f;
        }

        float[] bias = Enumerable.Range(0, width).Select(o => o / 100f).ToArray();
        uint other = (uint)(width * 4);
        var builder = new V3ModelBuilder { MainMemory = 2 * other };
        for (int k = 0; k < layers; k++)
        {
            builder.Layer(18, 0, k % 2 == 0 ? 0u : other, k % 2 == 0 ? other : 0u, (uint)width, (uint)width, 1u, weights, bias);
        }

        return builder.Output(layers % 2 == 1 ? other : 0u, other).Build();
    }
}
