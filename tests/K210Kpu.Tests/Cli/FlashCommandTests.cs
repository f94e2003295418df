using System.Text.Json;
using K210Kpu.Maix;
using K210Kpu.Tests.Maix;

namespace K210Kpu.Tests.Cli;

public class FlashCommandTests
{
    [SharedFact]
    public void FlashPackByteswap_ThenRunLoadFlash_GivesTheGoldenOutput()
    {
        string dir = Directory.CreateTempSubdirectory("k210kpu-flash-").FullName;
        try
        {
            string package = Path.Combine(dir, "face_be.kfpkg");
            string golden = TestFiles.Repo("tests", "Data", "golden", "maixpy_face_yolo2_v3", "astronaut");
            KpuProcess.Result pack = KpuProcess.Run("flash-pack", TestFiles.SharedModel("maixpy_face_yolo2_v3"), "--address", "0x600000", "--byteswap", "-o", package);
            Assert.True(pack.ExitCode == 0, pack.StdErr);
            Assert.Contains("kpu.load_flash(0x600000", pack.StdOut, StringComparison.Ordinal);

            // The package holds exactly what Sipeed's model_le2be.py made for the same model.
            var mine = new Flash();
            var sipeed = new Flash();
            mine.WriteKfpkg(package);
            sipeed.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_be_at_0x600000.kfpkg"));
            Assert.True(mine.Contents.SequenceEqual(sipeed.Contents));

            KpuProcess.Result again = KpuProcess.Run("flash-pack", TestFiles.SharedModel("maixpy_face_yolo2_v3"), "--address", "0x600000", "-o", package);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("--force", again.StdErr, StringComparison.Ordinal);

            string outDir = Path.Combine(dir, "out");
            KpuProcess.Result run = KpuProcess.Run("run", "--flash", package, "--address", "0x600000", "--load-flash", "--dual-buffer", "--input", Path.Combine(golden, "input.bin"), "--output", outDir);
            Assert.True(run.ExitCode == 0, run.StdErr);
            Assert.Equal(File.ReadAllBytes(Path.Combine(golden, "output_0.bin")), File.ReadAllBytes(Path.Combine(outDir, "output_0.bin")));
            Assert.Contains("388548 B per frame", run.StdOut, StringComparison.Ordinal);
            Assert.Contains("double buffer, batch_size 49152", run.StdOut, StringComparison.Ordinal);

            KpuProcess.Result fast = KpuProcess.Run("run", "--flash", package, "--address", "0x600000", "--load-flash", "--spi-speed", "90000000", "--input", Path.Combine(golden, "input.bin"), "--output", outDir);
            Assert.Equal(1, fast.ExitCode);
            Assert.Contains("--spi-speed", fast.StdErr, StringComparison.Ordinal);

            KpuProcess.Result plain = KpuProcess.Run("run", "--flash", package, "--address", "0x600000", "--input", Path.Combine(golden, "input.bin"), "--output", outDir);
            Assert.Equal(2, plain.ExitCode);
            Assert.Contains("2002", plain.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ModelAboveRealTimeLimit_InfoSaysSo_LoadRefuses_LoadFlashRuns()
    {
        string dir = Directory.CreateTempSubdirectory("k210kpu-flash-").FullName;
        try
        {
            string model = Path.Combine(dir, "big.kmodel");
            File.WriteAllBytes(model, BigModel.Build(layers: 6, width: 512));
            string input = Path.Combine(dir, "input.bin");
            File.WriteAllBytes(input, new byte[512 * 4]);

            KpuProcess.Result info = KpuProcess.Run("info", model);
            Assert.Contains("load mode   non-real time only", info.StdOut, StringComparison.Ordinal);
            using (JsonDocument json = JsonDocument.Parse(KpuProcess.Run("info", model, "--json").StdOut))
            {
                Assert.True(json.RootElement.GetProperty("needs_load_flash").GetBoolean());
                Assert.True(json.RootElement.GetProperty("load_flash_supported").GetBoolean());
                Assert.Equal(Kpu.RealTimeModelLimitBytes, json.RootElement.GetProperty("real_time_limit_bytes").GetInt64());
            }

            string plainPackage = Path.Combine(dir, "big.kfpkg");
            KpuProcess.Result pack = KpuProcess.Run("flash-pack", model, "--address", "0x300000", "-o", plainPackage);
            Assert.Equal(0, pack.ExitCode);
            Assert.Contains("real-time limit", pack.StdErr, StringComparison.Ordinal);
            KpuProcess.Result refused = KpuProcess.Run("run", "--flash", plainPackage, "--address", "0x300000", "-i", input, "-o", Path.Combine(dir, "o1"));
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("load error:2006", refused.StdErr, StringComparison.Ordinal);

            string bePackage = Path.Combine(dir, "big_be.kfpkg");
            Assert.Equal(0, KpuProcess.Run("flash-pack", model, "--address", "0x300000", "--byteswap", "-o", bePackage).ExitCode);
            KpuProcess.Result run = KpuProcess.Run("run", "--flash", bePackage, "--address", "0x300000", "--load-flash", "-i", input, "-o", Path.Combine(dir, "o2"));
            Assert.True(run.ExitCode == 0, run.StdErr);
            Assert.Contains("single buffer", run.StdOut, StringComparison.Ordinal);
            KpuProcess.Result direct = KpuProcess.Run("run", model, "-i", input, "-o", Path.Combine(dir, "o3"));
            Assert.Equal(0, direct.ExitCode);
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "o3", "output_0.bin")), File.ReadAllBytes(Path.Combine(dir, "o2", "output_0.bin")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [SharedFact]
    public void Info_SmallModel_RunsInRealTime()
    {
        string model = TestFiles.SharedModel("maixpy_face_yolo2_v3");
        Assert.Contains("load mode   real time", KpuProcess.Run("info", model).StdOut, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(KpuProcess.Run("info", model, "--json").StdOut);
        Assert.False(json.RootElement.GetProperty("needs_load_flash").GetBoolean());
    }

    [Fact]
    public void Run_FlashOptionsMisused_AreUsageErrors()
    {
        Assert.Equal(1, KpuProcess.Run("run", "-i", "x.bin", "-o", "out").ExitCode);
        Assert.Equal(1, KpuProcess.Run("run", "--flash", "/no/such.kfpkg", "--address", "0x300000", "-i", "x.bin", "-o", "out").ExitCode);
        KpuProcess.Result r = KpuProcess.Run("run", "m.kmodel", "--load-flash", "-i", "x.bin", "-o", "out");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--flash", r.StdErr, StringComparison.Ordinal);
    }
}
