using System.Text.Json;

namespace K210Kpu.Tests.Cli;

/// <summary>The README's main job and the commands built on the bundled data, end to end through the tool.</summary>
public class MainCommandTests
{
    private static readonly string FaceModel = TestFiles.Repo("data", "models", "maixpy_face_yolo2_v3.kmodel");
    private static readonly string Astronaut = TestFiles.Repo("data", "images", "astronaut_face_320x240.png");

    private static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), $"kpu-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    [Fact]
    public void Detect_NoArguments_FindsTheFaceAndWritesBoxes()
    {
        string dir = TempDir();
        try
        {
            string png = Path.Combine(dir, "boxes.png");
            KpuProcess.Result r = KpuProcess.Run("detect", "--out", png);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("1 detection(s)", r.StdOut);
            Assert.Contains("x 102, y 55, w 64, h 86", r.StdOut);
            Assert.True(new FileInfo(png).Length > 1000);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Detect_Json_PrintsOnlyTheDetections()
    {
        KpuProcess.Result r = KpuProcess.Run("detect", FaceModel, Astronaut, "--json");
        Assert.Equal(0, r.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(r.StdOut);
        JsonElement d = Assert.Single(doc.RootElement.EnumerateArray().ToArray());
        Assert.Equal(102, d.GetProperty("x").GetInt32());
        Assert.Equal(86, d.GetProperty("h").GetInt32());
        Assert.Equal(0, d.GetProperty("classid").GetInt32());
        Assert.InRange(d.GetProperty("value").GetSingle(), 0.93f, 0.94f);
    }

    [Fact]
    public void Bench_Json_ReportsFramesLayersAndNoAllocations()
    {
        KpuProcess.Result r = KpuProcess.Run("bench", FaceModel, "--frames", "3", "--warmup", "2", "--threads", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(r.StdOut);
        JsonElement root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("frames").GetInt32());
        Assert.Equal(2, root.GetProperty("warmup_frames").GetInt32());
        Assert.True(root.GetProperty("fps").GetDouble() > 0);
        Assert.Equal(205555200, root.GetProperty("macs_per_frame").GetInt64());
        Assert.Equal(0, root.GetProperty("allocated_bytes_per_frame").GetDouble());
        Assert.Equal(24, root.GetProperty("layers").GetArrayLength());
    }

    [Fact]
    public void Bench_DefaultWarmup_RunsAtLeastTenFramesAndASecondAndAHalf()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        KpuProcess.Result r = KpuProcess.Run("bench", FaceModel, "--frames", "1", "--threads", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(r.StdOut);
        Assert.True(doc.RootElement.GetProperty("warmup_frames").GetInt32() >= 10, r.StdOut);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"the whole run took {clock.Elapsed}");
    }

    [Fact]
    public void Bench_Streams_RunsIndependentInterpretersWithIdenticalOutputs()
    {
        KpuProcess.Result r = KpuProcess.Run("bench", FaceModel, "--frames", "2", "--warmup", "1", "--streams", "2", "--json");
        Assert.Equal(0, r.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(r.StdOut);
        JsonElement root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("streams").GetInt32());
        Assert.Equal(2, root.GetProperty("stream_ms_per_frame").GetArrayLength());
        Assert.True(root.GetProperty("outputs_identical").GetBoolean());
        Assert.True(root.GetProperty("fps").GetDouble() > 0);
    }

    [Theory]
    [InlineData("--streams", "0")]
    [InlineData("--frames", "0")]
    [InlineData("--threads", "-1")]
    public void Bench_BadCounts_AreUsageErrors(string option, string value)
    {
        KpuProcess.Result r = KpuProcess.Run("bench", FaceModel, option, value);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(option, r.StdErr);
    }

    [Fact]
    public void Detect_Folder_RunsEveryPictureAndReportsInNameOrder()
    {
        string dir = TempDir();
        try
        {
            string pictures = Path.Combine(dir, "in");
            Directory.CreateDirectory(pictures);
            foreach (string name in new[] { "c.png", "a.png", "b.png", "d.png", "e.png" })
            {
                File.Copy(Astronaut, Path.Combine(pictures, name));
            }

            File.WriteAllText(Path.Combine(pictures, "notes.txt"), "not a picture");
            string outDir = Path.Combine(dir, "out");
            KpuProcess.Result r = KpuProcess.Run("detect", FaceModel, pictures, "--out", outDir, "--json");
            Assert.Equal(0, r.ExitCode);
            using JsonDocument doc = JsonDocument.Parse(r.StdOut);
            JsonElement[] items = doc.RootElement.EnumerateArray().ToArray();
            Assert.Equal(["a.png", "b.png", "c.png", "d.png", "e.png"], items.Select(i => i.GetProperty("file").GetString()));
            foreach (JsonElement item in items)
            {
                JsonElement d = Assert.Single(item.GetProperty("detections").EnumerateArray().ToArray());
                Assert.Equal((102, 55, 64, 86), (d.GetProperty("x").GetInt32(), d.GetProperty("y").GetInt32(), d.GetProperty("w").GetInt32(), d.GetProperty("h").GetInt32()));
            }

            Assert.Equal(5, Directory.GetFiles(outDir, "*.png").Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Detect_FolderWithABrokenPicture_FailsNamingIt()
    {
        string dir = TempDir();
        try
        {
            string pictures = Path.Combine(dir, "in");
            Directory.CreateDirectory(pictures);
            File.Copy(Astronaut, Path.Combine(pictures, "a.png"));
            File.Copy(Astronaut, Path.Combine(pictures, "c.png"));
            File.WriteAllBytes(Path.Combine(pictures, "b.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
            KpuProcess.Result r = KpuProcess.Run("detect", FaceModel, pictures, "--out", Path.Combine(dir, "out"), "--json");
            Assert.Equal(3, r.ExitCode);
            Assert.Contains("b.png", r.StdErr);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Detect_OddAnchorCount_IsUsageError()
    {
        KpuProcess.Result r = KpuProcess.Run("detect", FaceModel, Astronaut, "--anchors", "1,2,3", "--json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("pairs", r.StdErr);
    }

    [Fact]
    public void Run_Picture_WritesOutputAndNodeDumps()
    {
        string dir = TempDir();
        try
        {
            KpuProcess.Result r = KpuProcess.Run("run", FaceModel, "--input", Astronaut, "--output", dir, "--dump-layers");
            Assert.Equal(0, r.ExitCode);
            Assert.Equal(36000, new FileInfo(Path.Combine(dir, "output_0.bin")).Length);
            Assert.Equal(24, Directory.GetFiles(Path.Combine(dir, "nodes")).Length);
            Assert.True(File.Exists(Path.Combine(dir, "nodes", "node_023_Dequantize.bin")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Run_WrongSizedRawInput_IsRuntimeError()
    {
        string dir = TempDir();
        try
        {
            string raw = Path.Combine(dir, "in.bin");
            File.WriteAllBytes(raw, new byte[1000]);
            KpuProcess.Result r = KpuProcess.Run("run", FaceModel, "--input", raw, "--output", Path.Combine(dir, "out"));
            Assert.Equal(3, r.ExitCode);
            Assert.Contains("230400", r.StdErr);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Info_FaceModel_AgreesWithMaixPyNetinfo()
    {
        KpuProcess.Result r = KpuProcess.Run("info", FaceModel, "--json");
        Assert.Equal(0, r.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(r.StdOut);
        JsonElement[] layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(24, layers.Length);
        JsonElement l0 = layers[0];
        Assert.Equal((320, 240, 160, 120, 3, 16, 1, 1, 432), (l0.GetProperty("wi").GetInt32(), l0.GetProperty("hi").GetInt32(), l0.GetProperty("wo").GetInt32(), l0.GetProperty("ho").GetInt32(), l0.GetProperty("chi").GetInt32(), l0.GetProperty("cho").GetInt32(), l0.GetProperty("kernel_type").GetInt32(), l0.GetProperty("pool_type").GetInt32(), l0.GetProperty("para_size").GetInt32()));
        Assert.Equal(1, layers[1].GetProperty("dw").GetInt32());
        Assert.Equal(7680, layers[22].GetProperty("para_size").GetInt32());
        Assert.Equal(30, layers[22].GetProperty("cho").GetInt32());
        Assert.Equal(24, layers[23].GetProperty("para_size").GetInt32());
        Assert.Equal(0, layers[23].GetProperty("wi").GetInt32());
        Assert.Equal(205_555_200, doc.RootElement.GetProperty("total_macs").GetInt64());
    }

    [Fact]
    public void Fmap_Layer2_WritesMosaic()
    {
        string dir = TempDir();
        try
        {
            string png = Path.Combine(dir, "m.png");
            KpuProcess.Result r = KpuProcess.Run("fmap", FaceModel, Astronaut, "--layer", "2", "--out", png);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("32 channels of 80x60", r.StdOut);
            Assert.True(File.Exists(png));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Report_PositionalPicture_WritesPage()
    {
        string dir = TempDir();
        try
        {
            string html = Path.Combine(dir, "r.html");
            KpuProcess.Result r = KpuProcess.Run("report", FaceModel, Astronaut, "-o", html);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("astronaut_face_320x240.png", File.ReadAllText(html));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
