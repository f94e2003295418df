using K210Kpu.Maix;
using K210Kpu.PostProcessing;
using K210Kpu.Tests.PostProcessing;

namespace K210Kpu.Tests.Maix;

[Collection("Kpu")]
public class KpuTests
{
    private static readonly float[] Anchors = Yolo2DecoderTests.FaceAnchors;

    [Fact]
    public void Load_PathWithoutKmodel_RaisesFormatMismatch()
    {
        var e = Assert.Throws<MaixPyException>(() => Kpu.Load("/sd/model.bin"));
        Assert.Equal("[MAIXPY]kpu: model format don't match, only supply .kmodel", e.Message);
        Assert.Equal("ValueError", e.PythonType);
        Assert.Equal(KpuErrorCode.None, e.Code);
    }

    [Fact]
    public void Load_MissingFile_IsError2005()
    {
        var e = Assert.Throws<MaixPyException>(() => Kpu.Load(Path.Combine(Path.GetTempPath(), "no-such-dir-k210", "m.kmodel")));
        Assert.Equal(KpuErrorCode.ReadFile, e.Code);
        Assert.Equal("[MAIXPY]kpu: load error:2005, ERR_READ_FILE: read file failed", e.Message);
    }

    [Fact]
    public void Load_EncryptedModel_IsError2004()
    {
        string path = Path.Combine(Path.GetTempPath(), $"k210-{Guid.NewGuid():N}.smodel");
        File.WriteAllBytes(path, [1, 2, 3, 4]);
        try
        {
            var e = Assert.Throws<MaixPyException>(() => Kpu.Load(path));
            Assert.Equal(KpuErrorCode.Decrypt, e.Code);
            Assert.Equal("[MAIXPY]kpu: load error:2004, ERR_DECRYPT: check smodel match with your board", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_NotAModel_IsError2002()
    {
        string path = Path.Combine(Path.GetTempPath(), $"k210-{Guid.NewGuid():N}.kmodel");
        File.WriteAllBytes(path, [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0, 0, 0, 0, 0, 0, 0]);
        try
        {
            var e = Assert.Throws<MaixPyException>(() => Kpu.Load(path));
            Assert.Equal(KpuErrorCode.KModelVersion, e.Code);
            Assert.Equal("[MAIXPY]kpu: load error:2002, ERR_KMODEL_VERSION: only support kmodel V3/V4 now", e.Message);
            Assert.IsAssignableFrom<KModelException>(e.InnerException);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SharedFact]
    public void Load_KmodelV5_IsError2002()
    {
        var e = Assert.Throws<MaixPyException>(() => Kpu.Load(TestFiles.Shared("models", "nncase_bench_mnist_cpu_v5.kmodel")));
        Assert.Equal(KpuErrorCode.KModelVersion, e.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Load_AddressNotPositive_RaisesModelAddr(int address)
    {
        var e = Assert.Throws<MaixPyException>(() => Kpu.Load(new Flash(), address));
        Assert.Equal("[MAIXPY]kpu: model_addr must > 0", e.Message);
    }

    [Fact]
    public void Load_AddressBeyondFlash_IsError2001()
    {
        Assert.Equal(KpuErrorCode.Param, Assert.Throws<MaixPyException>(() => Kpu.Load(new Flash(), Flash.Size)).Code);
    }

    [Fact]
    public void Load_ErasedFlash_IsError2002()
    {
        Assert.Equal(KpuErrorCode.KModelVersion, Assert.Throws<MaixPyException>(() => Kpu.Load(new Flash(), 0x300000)).Code);
    }

    [Fact]
    public void Load_V3HeaderWithEmptyLayerBody_IsError2003()
    {
        var flash = new Flash();
        byte[] header = new byte[28 + 8 + 8];
        BitConverter.GetBytes(3).CopyTo(header, 0);
        BitConverter.GetBytes(1).CopyTo(header, 12); // layers_length
        BitConverter.GetBytes(1).CopyTo(header, 24); // output_count
        BitConverter.GetBytes(12).CopyTo(header, 36); // layer type, body_size 0
        flash.Write(0x1000, header);
        var e = Assert.Throws<MaixPyException>(() => Kpu.Load(flash, 0x1000));
        Assert.Equal(KpuErrorCode.KModelFormat, e.Code);
        Assert.Equal("[MAIXPY]kpu: load error:2003, ERR_KMODEL_FORMAT: layer_header.body_size <=0", e.Message);
    }

    [Fact]
    public void ModelSizeProbe_V3_SumsHeaderTableAndBodies()
    {
        byte[] model = new byte[28 + 8 + 16 + 30];
        BitConverter.GetBytes(3).CopyTo(model, 0);
        BitConverter.GetBytes(2).CopyTo(model, 12);
        BitConverter.GetBytes(1).CopyTo(model, 24);
        BitConverter.GetBytes(10).CopyTo(model, 40);
        BitConverter.GetBytes(20).CopyTo(model, 48);
        Assert.Equal(model.Length, ModelSizeProbe.Probe(model));
    }

    [Fact]
    public void Load_SixthModel_IsError2009()
    {
        var tasks = new List<KpuTask>();
        try
        {
            while (KpuTask.LoadedCount < KpuTask.MaxLoaded)
            {
                tasks.Add(FakeModels.Task());
            }

            Assert.Equal(KpuErrorCode.ModelsFull, Assert.Throws<MaixPyException>(() => FakeModels.Task()).Code);
            Kpu.Deinit(tasks[0]);
            tasks.Add(FakeModels.Task());
        }
        finally
        {
            tasks.ForEach(t => t.Dispose());
        }
    }

    [Fact]
    public void InitYolo2_ValidatesAsMaixPy()
    {
        using KpuTask task = FakeModels.Task();
        Assert.Equal("[MAIXPY]kpu: threshold only support 0 to 1", Assert.Throws<MaixPyException>(() => Kpu.InitYolo2(task, 1.5f, 0.3f, 5, Anchors)).Message);
        Assert.Equal("[MAIXPY]kpu: threshold only support 0 to 1", Assert.Throws<MaixPyException>(() => Kpu.InitYolo2(task, float.NaN, 0.3f, 5, Anchors)).Message);
        Assert.Equal("[MAIXPY]kpu: nms_value only support 0 to 1", Assert.Throws<MaixPyException>(() => Kpu.InitYolo2(task, 0.5f, -0.1f, 5, Anchors)).Message);
        Assert.Equal("[MAIXPY]kpu: anchor_number should > 0", Assert.Throws<MaixPyException>(() => Kpu.InitYolo2(task, 0.5f, 0.3f, 0, Anchors)).Message);
        Assert.Equal("tuple/list has wrong length", Assert.Throws<MaixPyException>(() => Kpu.InitYolo2(task, 0.5f, 0.3f, 4, Anchors)).Message);
        Assert.True(Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Anchors));
        Assert.Equal(5, task.Yolo2!.AnchorNumber);
    }

    [Fact]
    public void RunYolo2_WithoutInit_ThrowsInvalidOperation()
    {
        using KpuTask task = FakeModels.Task();
        Assert.Throws<InvalidOperationException>(() => Kpu.RunYolo2(task, new Image()));
    }

    [Fact]
    public void RunYolo2_WrongImageSize_RaisesCheckImgFormat()
    {
        using KpuTask task = FakeModels.Task();
        Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Anchors);
        var e = Assert.Throws<MaixPyException>(() => Kpu.RunYolo2(task, new Image(224, 224)));
        Assert.Equal("[MAIXPY]kpu: check img format err!", e.Message);
        Assert.Equal("[MAIXPY]kpu: img w=224,h=224, but model w=320,h=240", e.Printed);
    }

    [Fact]
    public void RunYolo2_GreyImageOnRgbModel_RaisesCheckImgFormat()
    {
        using KpuTask task = FakeModels.Task();
        Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Anchors);
        var e = Assert.Throws<MaixPyException>(() => Kpu.RunYolo2(task, new Image(320, 240, PixelFormat.Grayscale)));
        Assert.Equal("[MAIXPY]kpu: grayscale img, but model channel=3", e.Printed);
        using KpuTask grey = FakeModels.Task(FakeModels.FaceLike(inputChannels: 1));
        Kpu.InitYolo2(grey, 0.5f, 0.3f, 5, Anchors);
        Assert.Equal("[MAIXPY]kpu: RGB img, but model channel=1", Assert.Throws<MaixPyException>(() => Kpu.RunYolo2(grey, new Image())).Printed);
    }

    [Fact]
    public void RunYolo2_FeedsThePixToAiConversion_OrTheCaptureBuffer()
    {
        using KpuTask task = FakeModels.Task();
        Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Anchors);
        var img = new Image();
        img.SetPixel(0, 0, 0xFFFF);
        Assert.Empty(Kpu.RunYolo2(task, img));
        Assert.Equal(img.ToPlanar(), FakeModels.FakeExecutor.LastInput);
        byte[] capture = new byte[320 * 240 * 3];
        capture[5] = 42;
        img.SetAiBuffer(capture);
        Kpu.RunYolo2(task, img);
        Assert.Equal(capture, FakeModels.FakeExecutor.LastInput);
    }

    [SharedFact]
    public void RunYolo2_GoldenFaceOutput_MatchesFirmwareExample()
    {
        byte[] output = File.ReadAllBytes(TestFiles.Shared("golden", "maixpy_face_yolo2_v3", "astronaut", "output_0.bin"));
        using KpuTask task = FakeModels.Task(FakeModels.FaceLike(output));
        Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Anchors);
        IReadOnlyList<Detection> found = Kpu.RunYolo2(task, new Image());
        Yolo2DecoderTests.AssertMatchesExample(TestFiles.Shared("golden", "yolo2-examples", "maixpy_face_yolo2_v3.astronaut.t0.5_n0.3.json"), found);
        Assert.Equal((102, 55, 64, 86), found[0].Rect());
    }

    [Fact]
    public void RunYolo2_OutputNotFittingAnchors_RaisesRegionLayerInit()
    {
        using KpuTask task = FakeModels.Task(FakeModels.FaceLike(outCh: 29));
        Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Anchors);
        Assert.Equal("[MAIXPY]kpu: region_layer_init err!", Assert.Throws<MaixPyException>(() => Kpu.RunYolo2(task, new Image())).Message);
    }

    [Fact]
    public void Forward_LayerCount_ReturnsThatLayersMap()
    {
        using KpuTask task = FakeModels.Task();
        using FeatureMap fmap = Kpu.Forward(task, new Image(), 1);
        Assert.Equal((160, 120, 16, 0, 'B'), (fmap.W, fmap.H, fmap.Ch, fmap.Index, fmap.TypeCode));
        Assert.Equal(160 * 120 * 16, fmap.Size);
        Assert.Equal(3, task.LayerCount);
        var e = Assert.Throws<MaixPyException>(() => Kpu.Forward(task, new Image(), 4));
        Assert.Equal("err: set layers_length to 4, but max 3", e.Message);
    }

    [Fact]
    public void Forward_AllLayers_ReturnsOutput0AsFloats()
    {
        using KpuTask task = FakeModels.Task();
        using FeatureMap fmap = Kpu.Forward(task, new Image());
        Assert.Equal('f', fmap.TypeCode);
        Assert.Equal(9000, fmap.Floats.Length);
        Assert.Equal(2, fmap.Index);
        Assert.Equal("[MAIXPY]kpu: can't convet float fmap yet", Assert.Throws<MaixPyException>(() => Kpu.Fmap(fmap, 0)).Message);
    }

    [Fact]
    public void SetLayers_ShortensForwardAndNetInfo()
    {
        var log = new StringWriter();
        Kpu.Output = log;
        try
        {
            using KpuTask task = FakeModels.Task();
            Assert.False(Kpu.SetLayers(task, 9));
            Assert.Equal("err: set layers_length to 9, but max 3\r\n", log.ToString());
            Assert.True(Kpu.SetLayers(task, 2));
            Assert.Equal(2, Kpu.NetInfo(task).Count);
            using FeatureMap fmap = Kpu.Forward(task, new Image());
            Assert.Equal((20, 15, 30, 1), (fmap.W, fmap.H, fmap.Ch, fmap.Index));
            Assert.True(Kpu.SetLayers(task, 0));
            Assert.Equal(3, task.LayerCount);
        }
        finally
        {
            Kpu.Output = Console.Out;
        }
    }

    [Fact]
    public void Fmap_Channel_IsThatPlaneAsGreyImage_AndChecksRange()
    {
        using KpuTask task = FakeModels.Task();
        FeatureMap fmap = Kpu.Forward(task, new Image(), 2);
        Image ch1 = Kpu.Fmap(fmap, 1);
        Assert.Equal((20, 15, PixelFormat.Grayscale), (ch1.Width, ch1.Height, ch1.Format));
        Assert.True(fmap.Channel(1).SequenceEqual(ch1.Data));
        Assert.Equal("[MAIXPY]kpu: ch err,input 0~30", Assert.Throws<MaixPyException>(() => Kpu.Fmap(fmap, 30)).Message);
        Assert.Equal("[MAIXPY]kpu: ch err,input 0~30", Assert.Throws<MaixPyException>(() => Kpu.Fmap(fmap, -1)).Message);
        Kpu.FmapFree(fmap);
        Kpu.FmapFree(fmap);
        Assert.True(fmap.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => fmap.Bytes.Length);
        Assert.Throws<ObjectDisposedException>(() => Kpu.Fmap(fmap, 0));
    }

    [Fact]
    public void NetInfo_ReportsRegistersForConvAndBodySizeOtherwise()
    {
        using KpuTask task = FakeModels.Task();
        IReadOnlyList<LayerInfo> info = Kpu.NetInfo(task);
        Assert.Equal(new LayerInfo(0, 10240, "KL_K210_CONV", 320, 240, 160, 120, 3, 16, 0, 1, 1, 432), info[0]);
        Assert.Equal(1, info[1].Dw);
        Assert.Equal(new LayerInfo(2, 12, "KL_DEQUANTIZE", 0, 0, 0, 0, 0, 0, 0, 0, 0, 24), info[2]);
        Assert.Equal("{\"index\":2, \"type\":KL_DEQUANTIZE, \"wi\":0, \"hi\":0, \"wo\":0, \"ho\":0, \"chi\":0, \"cho\":0, \"dw\":0, \"kernel_type\":0, \"pool_type\":0, \"para_size\":24}", info[2].ToString());
    }

    [Fact]
    public void GetOutput_And_SetOutputs()
    {
        var log = new StringWriter();
        Kpu.Output = log;
        try
        {
            using KpuTask task = FakeModels.Task();
            Assert.Equal("2011", Assert.Throws<MaixPyException>(() => Kpu.GetOutput(task, 1)).Message);
            Assert.False(Kpu.SetOutputs(task, 1, 20, 15, 30));
            Assert.False(Kpu.SetOutputs(task, 0, 20, 15, 31));
            Assert.Equal(
                "[MAIXPY]kpu: set_outputs arg value error:kmodel output idx 1 out of range\r\n[MAIXPY]kpu: set_outputs arg value error: w,c,ch size not match output size\r\n",
                log.ToString());
            Assert.True(Kpu.SetOutputs(task, 0, 20, 15, 30));
            using FeatureMap o = Kpu.GetOutput(task, 0);
            Assert.Equal((20, 15, 30, 'f'), (o.W, o.H, o.Ch, o.TypeCode));
        }
        finally
        {
            Kpu.Output = Console.Out;
        }
    }

    [Fact]
    public void Deinit_IsIdempotent_AndUseAfterwardsThrowsObjectDisposed()
    {
        KpuTask task = FakeModels.Task();
        int before = KpuTask.LoadedCount;
        Assert.True(Kpu.Deinit(task));
        Assert.True(Kpu.Deinit(task));
        Assert.Equal(before - 1, KpuTask.LoadedCount);
        Assert.Throws<ObjectDisposedException>(() => Kpu.RunYolo2(task, new Image()));
        Assert.Throws<ObjectDisposedException>(() => Kpu.Forward(task, new Image(), 1));
        Assert.Throws<ObjectDisposedException>(() => Kpu.NetInfo(task));
        Assert.Throws<ObjectDisposedException>(() => Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Anchors));
    }

    [Fact]
    public void MemTest_PrintsMaixPysTwoLines()
    {
        var log = new StringWriter();
        Kpu.Output = log;
        try
        {
            Kpu.MemTest();
        }
        finally
        {
            Kpu.Output = Console.Out;
        }

        string[] lines = log.ToString().Split("\r\n");
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^###free gc heap memory : \d+ KB$", lines[0]);
        Assert.Matches(@"^###free sys heap memory: \d+ KB$", lines[1]);
    }

    [Fact]
    public void FmapMosaic_TilesStretchedChannels()
    {
        using KpuTask task = FakeModels.Task();
        using FeatureMap fmap = Kpu.Forward(task, new Image(), 2);
        Image mosaic = Kpu.FmapMosaic(fmap);
        Assert.Equal((320, 240, PixelFormat.Grayscale), (mosaic.Width, mosaic.Height, mosaic.Format));
        Image first = Kpu.Fmap(fmap, 0);
        first.Stretch(64, 255);
        Assert.Equal(first.GetPixel(3, 4), mosaic.GetPixel(3, 4));
        Image second = Kpu.Fmap(fmap, 1);
        second.Stretch(64, 255);
        Assert.Equal(second.GetPixel(3, 4), mosaic.GetPixel(23, 4));
    }

    [Fact]
    public void Task_PrintForm_IsMaixPys()
    {
        using KpuTask task = FakeModels.Task();
        Assert.Equal("{\"model_addr\": 0, \"model_size\": 1024, \"model_path\": \"fake.kmodel\", \"net_args\": \"(null)\"}", task.ToString());
    }
}
