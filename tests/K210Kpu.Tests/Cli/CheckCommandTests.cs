using System.Text.Json;
using K210Kpu.Cli.Commands;
using K210Kpu.Tests.Analysis;

namespace K210Kpu.Tests.Cli;

public class CheckCommandTests
{
    [Fact]
    public void Check_V3WithLayerTheSdkAbortsOn_Exits5AndNamesIt()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("k210kpu-check-").FullName, "bad");
        try
        {
            File.WriteAllBytes(path, V3Bytes.Build(64, [(16, 16)], V3Bytes.FullyConnected(0, 4), V3Bytes.FloatMaxPool(4, 16)));
            KpuProcess.Result r = KpuProcess.Run("check", path);
            Assert.Equal(5, r.ExitCode);
            Assert.Contains("WILL FAIL", r.StdOut, StringComparison.Ordinal);
            Assert.Contains("layer 1: MAX_POOL2D", r.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }

    [Fact]
    public void Check_Json_HasVerdictAndFindings()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("k210kpu-check-").FullName, "bad");
        try
        {
            File.WriteAllBytes(path, V3Bytes.Build(64, [(16, 16)], V3Bytes.Softmax(0, 16, 4)));
            KpuProcess.Result r = KpuProcess.Run("check", path, "--json", "--firmware", "sdk");
            Assert.Equal(5, r.ExitCode);
            using JsonDocument doc = JsonDocument.Parse(r.StdOut);
            Assert.Equal("will fail", doc.RootElement.GetProperty("verdict").GetString());
            Assert.Equal("sdk", doc.RootElement.GetProperty("firmware").GetString());
            Assert.Contains(doc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "first-layer");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }

    [Fact]
    public void Check_MissingFile_IsAUsageError() =>
        Assert.Equal(1, KpuProcess.Run("check", "/nonexistent/model").ExitCode);

    [Fact]
    public void Check_UnknownFirmware_IsAUsageError()
    {
        string path = Path.GetTempFileName();
        try
        {
            KpuProcess.Result r = KpuProcess.Run("check", path, "--firmware", "canmv");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("--firmware", r.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("3145728", 3145728L)]
    [InlineData("0x300000", 3145728L)]
    [InlineData("2052K", 2052L * 1024)]
    [InlineData("3.5M", 3670016L)]
    public void Size_ParsesByteCounts(string text, long expected) => Assert.Equal(expected, CheckOptionSet.Size(text, "--heap"));

    [SharedFact]
    public void Check_RealV5File_Exits5()
    {
        KpuProcess.Result r = KpuProcess.Run("check", TestFiles.Model("nncase_yolox_nano_224_v5")!);
        Assert.Equal(5, r.ExitCode);
        Assert.Contains("V5", r.StdOut, StringComparison.Ordinal);
    }

    [SharedFact]
    public void Check_Kfpkg_ChecksTheModelAtItsFlashAddress()
    {
        KpuProcess.Result r = KpuProcess.Run("check", Path.Combine(TestFiles.SharedDir!, "models", "maixpy_face_model_at_0x300000.kfpkg"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("facedetect.kmodel at 0x300000: OK", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("0x300000–0x35EEA8", r.StdOut, StringComparison.Ordinal);
    }

    [SharedFact]
    public void Check_KfpkgWithBigEndianModel_ListsItUnchecked()
    {
        KpuProcess.Result r = KpuProcess.Run("check", Path.Combine(TestFiles.SharedDir!, "models", "maixpy_face_model_be_at_0x600000.kfpkg"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("load_flash", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_KfpkgWithFirmware_FindsAModelThatOverlapsIt()
    {
        string dir = Directory.CreateTempSubdirectory("k210kpu-kfpkg-").FullName;
        try
        {
            string pkg = Path.Combine(dir, "fw_and_model.kfpkg");
            using (var zip = new System.IO.Compression.ZipArchive(File.Create(pkg), System.IO.Compression.ZipArchiveMode.Create))
            {
                void Add(string name, byte[] data)
                {
                    using Stream s = zip.CreateEntry(name).Open();
                    s.Write(data);
                }

                Add("flash-list.json", System.Text.Encoding.UTF8.GetBytes(
                    "{\"version\":\"0.1.0\",\"files\":[{\"address\":0,\"bin\":\"maixpy.bin\",\"sha256Prefix\":true},{\"address\":0x200000,\"bin\":\"m.kmodel\",\"sha256Prefix\":false}]}"));
                Add("maixpy.bin", new byte[0x280000]);
                Add("m.kmodel", V3Bytes.Build(64, [(16, 16)], V3Bytes.FullyConnected(0, 4)));
            }

            KpuProcess.Result r = KpuProcess.Run("check", pkg);
            Assert.Equal(5, r.ExitCode);
            Assert.Contains("m.kmodel at 0x200000", r.StdOut, StringComparison.Ordinal);
            Assert.Contains("overlaps the", r.StdOut, StringComparison.Ordinal);
            Assert.Contains("maixpy.bin at 0x000000", r.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
