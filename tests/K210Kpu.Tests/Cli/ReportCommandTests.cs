using System.Text.RegularExpressions;
using K210Kpu.Tests.Analysis;

namespace K210Kpu.Tests.Cli;

public class ReportCommandTests
{
    [Fact]
    public void Report_AnchorsWithoutPicture_IsAUsageError()
    {
        string model = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(model, V3Bytes.Build(64, [(16, 16)], V3Bytes.Softmax(0, 16, 4)));
            KpuProcess.Result r = KpuProcess.Run("report", model, "--anchors", "1,1");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("--anchors needs --picture", r.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(model);
        }
    }

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
    public void Report_FaceModelWithPictureAndAnchors_HasEveryLayersFeatureMapsAndTheFace()
    {
        string? model = TestFiles.Model("maixpy_face_yolo2_v3");
        string picture = Path.Combine(TestFiles.SharedDir!, "images", "astronaut_face_320x240.png");
        if (model is null || !File.Exists(picture))
        {
            return;
        }

        string dir = Directory.CreateTempSubdirectory("k210kpu-report-").FullName;
        try
        {
            string page = Path.Combine(dir, "face.html");
            KpuProcess.Result r = KpuProcess.Run("report", model, "--picture", picture, "-o", page, "--flash-offset", "0x300000", "--anchors", "1.889,2.5245,2.9465,3.94056,3.99987,5.3658,5.155437,6.92275,6.718375,9.01025");
            Assert.True(r.ExitCode == 0, r.StdErr);
            string html = File.ReadAllText(page);
            string fmaps = html[html.IndexOf("<section id=\"feature-maps\">", StringComparison.Ordinal)..html.IndexOf("<section id=\"detections\">", StringComparison.Ordinal)];
            Assert.Equal(24, Regex.Matches(fmaps, "<img ").Count);
            Assert.Contains("layer 0: K210Conv 160×120×16", fmaps, StringComparison.Ordinal);
            Assert.Contains("205,555,200", html, StringComparison.Ordinal); // total MACs of the face model
            string dets = html[html.IndexOf("<section id=\"detections\">", StringComparison.Ordinal)..];
            Assert.Contains("1 detection(s)", dets, StringComparison.Ordinal);
            Assert.Contains("class 0, score 0.9", dets, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
