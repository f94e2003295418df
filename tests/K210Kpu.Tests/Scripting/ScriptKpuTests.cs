using K210Kpu.Maix;
using K210Kpu.PostProcessing;
using K210Kpu.Scripting;

namespace K210Kpu.Tests.Scripting;

/// <summary>MaixPy scripts give the detections and feature maps of the C# API on the same frames.</summary>
[Collection("Kpu")]
public sealed class ScriptKpuTests
{
    [PythonFact]
    public void FaceSeed_prints_the_detections_of_the_csharp_api()
    {
        using var dir = new TempDir();
        string input = ScriptFixture.GoldenInput("maixpy_face_yolo2_v3", "astronaut");
        (ScriptResult result, string output) = ScriptFixture.Run(ScriptFixture.Script("face_yolo2_seed.py"), new ScriptOptions
        {
            Frames = [input],
            FlashPackages = [ScriptFixture.FaceFlashFile(dir)],
            LcdOutput = Path.Combine(dir.Path, "lcd.png"),
        });

        string[] expected = Yolo2(ScriptFixture.Model("maixpy_face_yolo2_v3"), ScriptFixture.FaceAnchors, File.ReadAllBytes(input));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ScriptFixture.Lines(output));
        Assert.Equal(1, result.Frames);
        Assert.Equal(expected.Length, result.Detections);
        Assert.Equal(1, result.KpuRuns);
        Assert.Equal("end of frames", result.EndReason);
        Assert.True(File.Exists(Path.Combine(dir.Path, "lcd.png")));
        Assert.Equal("{\"x\":102, \"y\":55, \"w\":64, \"h\":86, \"value\":0.938012, \"classid\":0, \"index\":0, \"objnum\":1}", expected[0]);
    }

    [PythonFact]
    public void Load_flash_reads_the_big_endian_model_and_detects_the_same_faces()
    {
        using var dir = new TempDir();
        byte[] model = File.ReadAllBytes(ScriptFixture.Model("maixpy_face_yolo2_v3"));
        byte[] bigEndian = new byte[(model.Length + 3) / 4 * 4];
        model.CopyTo(bigEndian, 0);
        for (int i = 0; i < bigEndian.Length; i += 4)
        {
            Array.Reverse(bigEndian, i, 4);
        }

        string flash = Path.Combine(dir.Path, "facedetect_be@0x600000.kmodel");
        File.WriteAllBytes(flash, bigEndian);
        string input = ScriptFixture.GoldenInput("maixpy_face_yolo2_v3", "astronaut");
        (ScriptResult result, string output) = ScriptFixture.Run(ScriptFixture.Script("face_load_flash.py"), new ScriptOptions
        {
            Frames = [input],
            FlashPackages = [flash],
        });

        Assert.Equal(Yolo2(ScriptFixture.Model("maixpy_face_yolo2_v3"), ScriptFixture.FaceAnchors, File.ReadAllBytes(input)), ScriptFixture.Lines(output));
        Assert.Equal(1, result.Detections);
    }

    [PythonFact(Shared = true)]
    public void FaceSeed_with_the_official_kfpkg_gives_the_firmware_example()
    {
        string example = File.ReadAllText(TestFiles.Shared("golden", "yolo2-examples", "maixpy_face_yolo2_v3.astronaut.t0.5_n0.3.json"));
        using System.Text.Json.JsonDocument doc = System.Text.Json.JsonDocument.Parse(example);
        (_, string output) = ScriptFixture.Run(ScriptFixture.Script("face_yolo2_seed.py"), new ScriptOptions
        {
            Frames = [TestFiles.Shared("images", "astronaut_face_320x240.png")],
            FlashPackages = [TestFiles.Shared("models", "maixpy_face_model_at_0x300000.kfpkg")],
        });

        string[] expected = [.. doc.RootElement.EnumerateArray().Select(d => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{{\"x\":{d.GetProperty("x").GetInt32()}, \"y\":{d.GetProperty("y").GetInt32()}, \"w\":{d.GetProperty("w").GetInt32()}, \"h\":{d.GetProperty("h").GetInt32()}, \"value\":{d.GetProperty("value").GetSingle():F6}, \"classid\":{d.GetProperty("classid").GetInt32()}, \"index\":{d.GetProperty("index").GetInt32()}, \"objnum\":{d.GetProperty("objnum").GetInt32()}}}"))];
        Assert.Equal(expected, ScriptFixture.Lines(output));
    }

    [PythonFact]
    public void FmapSeed_shows_the_feature_map_mosaic_of_the_csharp_api()
    {
        using var dir = new TempDir();
        string input = ScriptFixture.GoldenInput("maixpy_face_yolo2_v3", "astronaut");
        (ScriptResult result, string output) = ScriptFixture.Run(ScriptFixture.Script("fmap_seed.py"), new ScriptOptions
        {
            Frames = [input],
            FlashPackages = [ScriptFixture.FaceFlashFile(dir)],
        });
        Image panel = Lcd.Snapshot();

        using KpuTask task = Kpu.Load(ScriptFixture.Model("maixpy_face_yolo2_v3"));
        using FeatureMap fmap = Kpu.Forward(task, File.ReadAllBytes(input), 3);
        var expected = new Image();
        int w = fmap.W, h = fmap.H, perRow = 320 / w;
        for (int i = 0; i < 320 * 240 / w / h; i++)
        {
            Image channel = Kpu.Fmap(fmap, i);
            channel.Stretch(64, 255);
            expected.DrawImage(channel, i % perRow * w, i / perRow * h);
        }

        Assert.Equal(1, result.Frames);
        Assert.Contains("layer[23]: KL_DEQUANTIZE, 24 bytes", ScriptFixture.Lines(output));
        Assert.Equal(expected.Data.ToArray(), panel.Data.ToArray());
    }

    [PythonFact]
    public void Feature_maps_and_outputs_match_forward_and_the_goldens()
    {
        using var dir = new TempDir();
        string input = ScriptFixture.GoldenInput("maixpy_face_yolo2_v3", "astronaut");
        (_, string output) = ScriptFixture.Run(ScriptFixture.Script("fmap_dump.py"), new ScriptOptions
        {
            Frames = [input],
            FlashPackages = [ScriptFixture.FaceFlashFile(dir)],
            FlashFsDirectory = dir.Path,
        });

        byte[] bytes = File.ReadAllBytes(input);
        using KpuTask task = Kpu.Load(ScriptFixture.Model("maixpy_face_yolo2_v3"));
        using (FeatureMap three = Kpu.Forward(task, bytes, 3))
        {
            Assert.Equal(three.ToArray(), File.ReadAllBytes(Path.Combine(dir.Path, "fmap3.bin")));
        }

        using (FeatureMap ten = Kpu.Forward(task, bytes, 10))
        {
            Assert.Equal(ten.ToArray(), File.ReadAllBytes(Path.Combine(dir.Path, "fmap10.bin")));
        }

        Assert.Equal(File.ReadAllBytes(ScriptFixture.GoldenOutput("maixpy_face_yolo2_v3", "astronaut")), File.ReadAllBytes(Path.Combine(dir.Path, "out0.bin")));
        string[] lines = ScriptFixture.Lines(output);
        Assert.Contains("fmap3 80 60 32 2 153600 B " + File.ReadAllBytes(Path.Combine(dir.Path, "fmap3.bin"))[0] + " 10", lines);
        Assert.Contains("ch5 80 60 True True", lines);
        Assert.Contains("layers10 40 30 128 9", lines);
        Assert.Contains("out f 9000 36000", lines);
        Assert.Contains("24 True 388776 None", lines);
        Assert.Contains("{\"index\":0, \"type\":KL_K210_CONV, \"wi\":320, \"hi\":240, \"wo\":160, \"ho\":120, \"chi\":3, \"cho\":16, \"dw\":0, \"kernel_type\":1, \"pool_type\":1, \"para_size\":432}", lines);
    }

    [PythonFact]
    public void Voc_yolo2_script_gives_the_csharp_api_detections_on_raw_and_picture_frames()
    {
        string input = ScriptFixture.GoldenInput("sdk_voc20_yolo2_v3", "image");
        string picture = TestFiles.Repo("data", "images", "astronaut_face_320x240.png");
        (ScriptResult result, string output) = ScriptFixture.Run(ScriptFixture.Script("voc_yolo2.py"), new ScriptOptions
        {
            Frames = [input, picture],
            SdDirectory = ScriptFixture.ModelsDir,
        });

        string model = ScriptFixture.Model("sdk_voc20_yolo2_v3");
        string[] onRaw = Yolo2(model, ScriptFixture.VocAnchors, File.ReadAllBytes(input));
        Sensor.SetSource([picture]);
        Sensor.Reset();
        Image frame = Sensor.Snapshot();
        string[] onPicture = Yolo2(model, ScriptFixture.VocAnchors, frame.AiBuffer.ToArray());
        string[] expected = [.. onRaw, .. onPicture.Length == 0 ? ["none"] : onPicture];
        Assert.Equal(4, onRaw.Length);
        Assert.Equal(expected, ScriptFixture.Lines(output));
        Assert.Equal(onRaw.Length + onPicture.Length, result.Detections);
    }

    [PythonFact]
    public void Mobilenet_script_writes_the_output_of_forward()
    {
        using var dir = new TempDir();
        string input = ScriptFixture.GoldenInput("maixpy_mbnet75_imagenet_v3", "image");
        (ScriptResult result, string output) = ScriptFixture.Run(ScriptFixture.Script("mobilenet.py"), new ScriptOptions
        {
            Frames = [input],
            SdDirectory = ScriptFixture.ModelsDir,
            FlashFsDirectory = dir.Path,
        });

        using KpuTask task = Kpu.Load(ScriptFixture.Model("maixpy_mbnet75_imagenet_v3"));
        using FeatureMap probs = Kpu.Forward(task, File.ReadAllBytes(input));
        byte[] written = File.ReadAllBytes(Path.Combine(dir.Path, "probs_0.bin"));
        Assert.Equal(probs.ToArray(), written);
        Assert.Equal(File.ReadAllBytes(ScriptFixture.GoldenOutput("maixpy_mbnet75_imagenet_v3", "image")), written);
        float[] p = probs.Floats.ToArray();
        int best = Array.IndexOf(p, p.Max());
        Assert.Equal([$"{best} {p[best]:0.0000} 1000 4000 True"], ScriptFixture.Lines(output));
        Assert.Equal(1, result.KpuRuns);
    }

    [PythonFact]
    public void Error_paths_raise_maixpy_exceptions_with_its_texts()
    {
        (ScriptResult result, string output) = ScriptFixture.Run(ScriptFixture.Script("errors.py"), new ScriptOptions
        {
            Frames = [ScriptFixture.GoldenInput("maixpy_face_yolo2_v3", "astronaut")],
            SdDirectory = ScriptFixture.ModelsDir,
        });

        string[] lines = ScriptFixture.Lines(output);
        Assert.Equal("errors ok", lines[^1]);
        Assert.Contains("[MAIXPY]kpu: img w=160,h=120, but model w=320,h=240", lines);
        Assert.Contains("err: set layers_length to 99, but max 24", lines);
        Assert.Contains("[MAIXPY]kpu: set_outputs arg value error:kmodel output idx 3 out of range", lines);
        Assert.Equal("finished", result.EndReason);
    }

    [PythonFact]
    public void An_uncaught_exception_fails_the_run_with_the_script_traceback()
    {
        using var dir = new TempDir();
        string script = Path.Combine(dir.Path, "main.py");
        File.WriteAllText(script, "import KPU as kpu\ntask = kpu.load(0)\n");
        ScriptFailedException ex = Assert.Throws<ScriptFailedException>(() => ScriptFixture.Run(script, new ScriptOptions()));
        Assert.Equal("ValueError", ex.PythonType);
        Assert.Equal("ValueError: [MAIXPY]kpu: model_addr must > 0 ", ex.Message);
        Assert.Contains("main.py\", line 2", ex.PythonTraceback, StringComparison.Ordinal);
    }

    [PythonFact]
    public void LoadFlash_streams_a_byte_swapped_package_and_detects_as_load_does()
    {
        using var dir = new TempDir();
        string input = ScriptFixture.GoldenInput("maixpy_face_yolo2_v3", "astronaut");
        string package = Path.Combine(dir.Path, "face_be.kfpkg");
        FlashPack.WriteKfpkg(package, [FlashPack.ModelFile(File.ReadAllBytes(ScriptFixture.Model("maixpy_face_yolo2_v3")), 0x600000, true, "facedetect_be.kmodel")]);
        string script = Path.Combine(dir.Path, "main.py");
        File.WriteAllText(script, string.Join('\n',
            "import sensor, KPU as kpu",
            "sensor.reset()",
            "sensor.set_pixformat(sensor.RGB565)",
            "sensor.set_framesize(sensor.QVGA)",
            "try:",
            "    kpu.load_flash(0x600000, 1.0, 0xC000, 60000000)",
            "except ValueError as e:",
            "    print(e)",
            "try:",
            "    kpu.load_flash(0x600000, 1, 0xC000, 90000000)",
            "except ValueError as e:",
            "    print(e)",
            "task = kpu.load_flash(0x600000, 1, 0xC000, 60000000)",
            "kpu.init_yolo2(task, 0.5, 0.3, 5, (1.889, 2.5245, 2.9465, 3.94056, 3.99987, 5.3658, 5.155437, 6.92275, 6.718375, 9.01025))",
            "while True:",
            "    for o in kpu.run_yolo2(task, sensor.snapshot()) or []:",
            "        print(o)",
            ""));
        (ScriptResult result, string output) = ScriptFixture.Run(script, new ScriptOptions { Frames = [input], FlashPackages = [package] });

        string[] expected = Yolo2(ScriptFixture.Model("maixpy_face_yolo2_v3"), ScriptFixture.FaceAnchors, File.ReadAllBytes(input));
        string[] lines = ScriptFixture.Lines(output);
        Assert.Equal("[MAIXPY]kpu: load_flash arg format error: task=kpu.load_flash(flash_addr, is_dual_buf, batch_size, spi_speed)", lines[0]);
        Assert.Equal("[MAIXPY]kpu: load_flash error:2001, ERR_PARAM: please check param, load address or kmodel file name", lines[1]);
        Assert.Equal(expected, lines[2..]);
        Assert.Equal(1, result.KpuRuns);
    }

    private static string[] Yolo2(string model, float[] anchors, byte[] input)
    {
        using KpuTask task = Kpu.Load(model);
        Kpu.InitYolo2(task, 0.5f, 0.3f, anchors.Length / 2, anchors);
        IReadOnlyList<Detection> found = Kpu.RunYolo2(task, input);
        return [.. found.Select(d => d.ToString())];
    }
}
