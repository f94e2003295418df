using System.Text.RegularExpressions;
using K210Kpu.Tests.Analysis;

namespace K210Kpu.Tests.Cli;

public class ReportCommandTests
{
    [Fact]
    public void Report_UnloadableModel_WritesAPageWithTheCheck()
    {
        string dir = Directory.CreateTempSubdirectory("k210kpu-report-").FullName;
        try
        {
            string model = Path.Combine(dir, "bad.kmodel");
            string page = Path.Combine(dir, "bad.html");
            File.WriteAllBytes(model, V3Bytes.Build(64, [(16, 16)], V3Bytes.FullyConnected(0, 4), V3Bytes.FloatMaxPool(4, 16)));
            KpuProcess.Result r = KpuProcess.Run("report", model, "-o", page);
            Assert.Equal(0, r.ExitCode);
            string html = File.ReadAllText(page);
            Assert.Contains("will fail", html, StringComparison.Ordinal);
            Assert.Contains("MAX_POOL2D", html, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [SharedFact]
    public void Report_FaceModelWithPicture_HasEveryLayersFeatureMaps()
    {
        string? model = TestFiles.Model("maixpy_face_yolo2_v3");
        string picture = Path.Combine(TestFiles.SharedDir!, "images", "faces_group_320x240.jpg");
        if (model is null || !File.Exists(picture))
        {
            return;
        }

        string dir = Directory.CreateTempSubdirectory("k210kpu-report-").FullName;
        try
        {
            string page = Path.Combine(dir, "face.html");
            KpuProcess.Result r = KpuProcess.Run("report", model, "--picture", picture, "-o", page, "--flash-offset", "0x300000");
            Assert.True(r.ExitCode == 0, r.StdErr);
            string html = File.ReadAllText(page);
            string fmaps = html[html.IndexOf("<section id=\"feature-maps\">", StringComparison.Ordinal)..html.IndexOf("<section id=\"detections\">", StringComparison.Ordinal)];
            Assert.Equal(24, Regex.Matches(fmaps, "<img ").Count);
            Assert.Contains("layer 0: K210Conv 160×120×16", fmaps, StringComparison.Ordinal);
            Assert.Contains("205,555,200", html, StringComparison.Ordinal); // total MACs of the face model
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
