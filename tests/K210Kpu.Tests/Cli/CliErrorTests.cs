namespace K210Kpu.Tests.Cli;

public class CliErrorTests
{
    [Fact]
    public void Info_MissingFile_IsUsageError()
    {
        KpuProcess.Result r = KpuProcess.Run("info", "/nonexistent/model.kmodel");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("model file not found", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public void Info_NotAModel_IsBadModelWithOneLine()
    {
        string f = Path.Combine(Path.GetTempPath(), $"kpu-test-{Guid.NewGuid():N}.kmodel");
        File.WriteAllBytes(f, new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4, 5, 6, 7, 8 });
        try
        {
            KpuProcess.Result r = KpuProcess.Run("info", f);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("PNG image", r.StdErr);
            Assert.Single(r.StdErr.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", r.StdErr);
        }
        finally
        {
            File.Delete(f);
        }
    }

    [Fact]
    public void Run_MissingRequiredOptions_IsUsageError()
    {
        KpuProcess.Result r = KpuProcess.Run("run", "model.kmodel");
        Assert.Equal(1, r.ExitCode);
    }

    [Fact]
    public void UnknownCommand_IsUsageError()
    {
        KpuProcess.Result r = KpuProcess.Run("frobnicate");
        Assert.Equal(1, r.ExitCode);
    }
}
