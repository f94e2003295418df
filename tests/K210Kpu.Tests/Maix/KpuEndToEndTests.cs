using K210Kpu.Imaging;
using K210Kpu.Maix;
using K210Kpu.PostProcessing;
using K210Kpu.Samples.FaceDetect;
using K210Kpu.Samples.FeatureMaps;
using K210Kpu.Tests.PostProcessing;

namespace K210Kpu.Tests.Maix;

[Collection("Kpu")]
public class KpuEndToEndTests
{
    private static string FaceModel => TestFiles.Repo("data", "models", "maixpy_face_yolo2_v3.kmodel");

    private static string Astronaut => TestFiles.Repo("data", "images", "astronaut_face_320x240.png");

    [SharedFact]
    public void Kfpkg_LoadAt0x300000_FindsTheFaceAsTheFirmware()
    {
        var flash = new Flash();
        flash.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_at_0x300000.kfpkg"));
        using KpuTask task = Kpu.Load(flash, 0x300000);
        Assert.Equal(0x300000, task.ModelAddress);
        Assert.Equal(388776, task.ModelSize);
        Assert.Null(task.ModelPath);
        Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Yolo2DecoderTests.FaceAnchors);

        Image img = ImageIO.Load(Astronaut);
        Assert.Equal(File.ReadAllBytes(TestFiles.Shared("golden", "maixpy_face_yolo2_v3", "astronaut", "input.bin")), img.ToPlanar());
        IReadOnlyList<Detection> found = Kpu.RunYolo2(task, img);

        Yolo2DecoderTests.AssertMatchesExample(TestFiles.Shared("golden", "yolo2-examples", "maixpy_face_yolo2_v3.astronaut.t0.5_n0.3.json"), found);
    }

    [SharedFact]
    public void Kfpkg_File_IsReadInMemory_NothingWrittenBesideIt()
    {
        string dir = Directory.CreateTempSubdirectory("k210-kfpkg").FullName;
        try
        {
            string package = Path.Combine(dir, "face.kfpkg");
            File.Copy(TestFiles.Shared("models", "maixpy_face_model_at_0x300000.kfpkg"), package);
            var flash = new Flash();
            flash.WriteKfpkg(package);
            using KpuTask task = Kpu.Load(flash, 0x300000);
            Assert.Equal((320, 240, 3), task.InputShape);
            Assert.Equal(new[] { package }, Directory.GetFileSystemEntries(dir));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [SharedFact]
    public void Load_LegacyModel_IsRefusedAsTheFirmwareDoes()
    {
        var e = Assert.Throws<MaixPyException>(() => Kpu.Load(TestFiles.SharedModel("sdk_face_detect_legacy_v1")));
        Assert.Equal(KpuErrorCode.KModelVersion, e.Code);
    }

    [Fact]
    public void SensorSnapshot_Rgb565_FeedsThePicturesColours()
    {
        Sensor.SetSource(Astronaut);
        Sensor.Reset();
        Sensor.SetPixFormat(PixelFormat.Rgb565);
        Sensor.SetFrameSize(FrameSize.QVGA);
        Image img = Sensor.Snapshot();
        Assert.Equal(ImageIO.Load(Astronaut).ToPlanar(), img.AiBuffer.ToArray());
        using KpuTask task = Kpu.Load(FaceModel);
        Assert.Equal(FaceModel, task.ModelPath);
        Assert.Equal((int)new FileInfo(FaceModel).Length, task.ModelSize);
        Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Yolo2DecoderTests.FaceAnchors);
        Detection face = Assert.Single(Kpu.RunYolo2(task, img));
        Assert.Equal((102, 55, 64, 86), face.Rect());
    }

    [SharedFact]
    public void RunYolo2_RawInput_Voc20MatchesFirmwareExample()
    {
        using KpuTask task = Kpu.Load(TestFiles.SharedModel("sdk_voc20_yolo2_v3"));
        Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Yolo2DecoderTests.VocAnchors);
        byte[] input = File.ReadAllBytes(TestFiles.Shared("golden", "sdk_voc20_yolo2_v3", "image", "input.bin"));
        IReadOnlyList<Detection> found = Kpu.RunYolo2(task, input);
        Yolo2DecoderTests.AssertMatchesExample(TestFiles.Shared("golden", "yolo2-examples", "sdk_voc20_yolo2_v3.image.t0.5_n0.3.json"), found);
    }

    [V4ReaderFact]
    public void RunYolo2_V4Model_DecodesItsOutputAsTheRegionLayer()
    {
        using KpuTask task = Kpu.Load(TestFiles.SharedModel("nncase_voc20_yolo2_v4"));
        Assert.Equal((320, 240, 3), task.InputShape);
        Kpu.InitYolo2(task, 0.5f, 0.3f, 5, Yolo2DecoderTests.VocAnchors);
        string dir = TestFiles.Shared("golden", "nncase_voc20_yolo2_v4", "image");
        IReadOnlyList<Detection> found = Kpu.RunYolo2(task, File.ReadAllBytes(Path.Combine(dir, "input.bin")));
        float[] golden = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(dir, "output_0.bin"))).ToArray();
        IReadOnlyList<Detection> want = Yolo2Decoder.Decode(golden, 10, 7, 125, 320, 240, task.Yolo2!);
        Assert.NotEmpty(want);
        Assert.Equal(want, found);
    }

    [Fact]
    public void NetInfo_FaceModel_MatchesTheWorkedExample()
    {
        using KpuTask task = Kpu.Load(FaceModel);
        IReadOnlyList<LayerInfo> info = Kpu.NetInfo(task);
        Assert.Equal(24, info.Count);
        Assert.Equal(new LayerInfo(0, 10240, "KL_K210_CONV", 320, 240, 160, 120, 3, 16, 0, 1, 1, 432), info[0]);
        Assert.Equal(1, info[1].Dw);
        Assert.Equal((20, 15, 256, 30, 0, 7680), (info[22].Wi, info[22].Hi, info[22].Chi, info[22].Cho, info[22].KernelType, info[22].ParaSize));
        Assert.Equal(new LayerInfo(23, 12, "KL_DEQUANTIZE", 0, 0, 0, 0, 0, 0, 0, 0, 0, 24), info[23]);
    }

    [Fact]
    public void Forward_FmapShapeEqualsNetInfo_ForEveryLayer()
    {
        using KpuTask task = Kpu.Load(FaceModel);
        IReadOnlyList<LayerInfo> info = Kpu.NetInfo(task);
        Image img = ImageIO.Load(Astronaut, PixelFormat.Rgb565);

        // Forward itself for a few layer counts (each call runs from layer 0) ...
        foreach (int n in new[] { 1, 3, 4, 23 })
        {
            using FeatureMap fmap = Kpu.Forward(task, img, n);
            AssertShape(info[n - 1], fmap);
        }

        // ... and, after one full run, the same shape rule for every layer.
        Kpu.Forward(task, img, info.Count).Dispose();
        for (int i = 0; i < info.Count; i++)
        {
            using FeatureMap fmap = Kpu.LayerMap(task, i);
            AssertShape(info[i], fmap);
        }
    }

    private static void AssertShape(LayerInfo layer, FeatureMap fmap)
    {
        Assert.Equal(layer.Index, fmap.Index);
        if (layer.Type == 10240)
        {
            Assert.Equal((layer.Wo, layer.Ho, layer.Cho, 'B'), (fmap.W, fmap.H, fmap.Ch, fmap.TypeCode));
            Assert.Equal(layer.Wo * layer.Ho * layer.Cho, fmap.Size);
        }
        else
        {
            Assert.Equal(fmap.W * fmap.H * fmap.Ch * (fmap.TypeCode == 'f' ? 4 : 1), fmap.Size);
        }
    }

    [SharedFact]
    public void Forward_RawInput_AllLayers_IsTheGoldenOutput()
    {
        using KpuTask task = Kpu.Load(FaceModel);
        byte[] input = File.ReadAllBytes(TestFiles.Shared("golden", "maixpy_face_yolo2_v3", "astronaut", "input.bin"));
        using FeatureMap fmap = Kpu.Forward(task, input);
        Assert.Equal(File.ReadAllBytes(TestFiles.Shared("golden", "maixpy_face_yolo2_v3", "astronaut", "output_0.bin")), fmap.ToArray());
        using FeatureMap again = Kpu.GetOutput(task, 0);
        Assert.Equal(fmap.ToArray(), again.ToArray());
    }

    [Fact]
    public void FaceDetectSample_FindsTheFaceAndWritesTheLcdFrame()
    {
        string dir = Directory.CreateTempSubdirectory("k210-face").FullName;
        try
        {
            string png = Path.Combine(dir, "lcd.png");
            Detection face = Assert.Single(FaceDetectSample.Run(TestFiles.Repo("data"), png, frames: 2));
            Assert.Equal((102, 55, 64, 86), face.Rect());
            Image frame = ImageIO.Load(png);
            Assert.Equal((320, 240), (frame.Width, frame.Height));
            Assert.Equal(((byte)255, (byte)255, (byte)255), frame.GetRgb(102, 55));
            Assert.Equal(2, Lcd.FramesDisplayed);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void FeatureMapsSample_TilesSixteenMapsAndWritesTheLcdFrame()
    {
        string dir = Directory.CreateTempSubdirectory("k210-fmap").FullName;
        try
        {
            string png = Path.Combine(dir, "lcd.png");
            Assert.Equal(16, FeatureMapsSample.Run(TestFiles.Repo("data"), png));
            Image frame = ImageIO.Load(png);
            Assert.Equal((320, 240), (frame.Width, frame.Height));
            Assert.True(frame.ToGrayscale().Data.IndexOfAnyExcept((byte)0) >= 0);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
