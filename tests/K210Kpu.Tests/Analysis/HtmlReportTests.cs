using System.Diagnostics;
using System.Text.RegularExpressions;
using K210Kpu.Analysis;

namespace K210Kpu.Tests.Analysis;

public class HtmlReportTests
{
    private static KModel FaceLike()
    {
        var layers = new List<LayerDescriptor>
        {
            SyntheticModel.Conv(0, 320, 240, 3, 16, 3, pool: 1),
            SyntheticModel.Conv(1, 160, 120, 16, 16, 3, depthwise: true),
            SyntheticModel.Conv(2, 160, 120, 16, 32, 1, pool: 1),
            SyntheticModel.Conv(3, 80, 60, 32, 32, 3, depthwise: true),
            SyntheticModel.Conv(4, 80, 60, 32, 64, 1, pool: 1),
            SyntheticModel.Conv(5, 40, 30, 64, 128, 1, pool: 1),
            SyntheticModel.Conv(6, 20, 15, 128, 256, 1),
            SyntheticModel.Conv(7, 20, 15, 256, 30, 1, mainOut: true),
            SyntheticModel.Cpu(8, 12, "Dequantize", 9000 * 4),
        };
        return SyntheticModel.Build(layers, fileBytes: 388_776, mainMemoryBytes: 45_000, kpuRamBytes: 15360 * 64);
    }

    internal static ReportInput FullInput()
    {
        KModel m = FaceLike();
        var fmaps = new List<ReportImage>();
        for (int i = 0; i < 8; i++)
        {
            LayerDescriptor l = m.Layers[i];
            fmaps.Add(new ReportImage($"layer {i}: {l.Name} {l.Kpu!.OutputWidth}×{l.Kpu.OutputHeight}×{l.Kpu.OutputChannels}", TestPng.Mosaic(Math.Min(l.Kpu.OutputChannels, 16), 24, i), i));
        }

        return new ReportInput
        {
            Title = "face_like.kmodel",
            Model = m,
            Check = ModelCheck.Check(m, new ModelCheckOptions { FlashOffset = 0x300000 }),
            Input = new ReportImage("input 320×240 RGB", TestPng.Picture(320, 240, box: false)),
            FeatureMaps = fmaps,
            Detections = new ReportImage("1 face, threshold 0.5, NMS 0.3", TestPng.Picture(320, 240, box: true)),
            DetectionLines = ["face 0.93 at (120, 60) 80×100"],
            Facts = [new("Arithmetic", "reference"), new("Anchors", "1.889, 2.5245, 2.9465, 3.94056, 3.99987, 5.3658, 5.155437, 6.92275, 6.718375, 9.01025")],
            Generator = "K210Kpu tests",
        };
    }

    [Fact]
    public void Render_HasEverySection()
    {
        string html = HtmlReport.Render(FullInput());
        foreach (string id in HtmlReport.SectionIds)
        {
            Assert.Contains($"<section id=\"{id}\">", html, StringComparison.Ordinal);
        }

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("</html>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_IsSelfContained()
    {
        string html = HtmlReport.Render(FullInput());
        Assert.DoesNotMatch(new Regex("(src|href)\\s*=\\s*\"(?!data:)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("url\\(", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1 + 8 + 1, Regex.Matches(html, "<img [^>]*src=\"data:image/png;base64,").Count);
    }

    [Fact]
    public void Render_LayerTableHasEveryLayerWithMacsAndTime()
    {
        ReportInput input = FullInput();
        string html = HtmlReport.Render(input);
        LatencyEstimate e = input.Check!.Estimate!;
        string layers = html[html.IndexOf("<section id=\"layers\">", StringComparison.Ordinal)..html.IndexOf("<section id=\"feature-maps\">", StringComparison.Ordinal)];
        Assert.Equal(input.Model!.Layers.Count + 1, Regex.Matches(layers, "<tr class=\"(kpu|cpu|total)\">").Count);
        Assert.Contains(e.TotalMacs.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), layers, StringComparison.Ordinal);
        Assert.Contains(e.ModelMilliseconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), layers, StringComparison.Ordinal);
        Assert.Contains((9L * 3 * 16 * 320 * 240).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), layers, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EscapesText()
    {
        ReportInput input = FullInput();
        string html = HtmlReport.Render(new ReportInput { Title = "<b>x</b>&", Model = input.Model });
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;&amp;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithoutPictures_SaysWhyEachSectionIsEmpty()
    {
        string html = HtmlReport.Render(new ReportInput { Model = FaceLike() });
        Assert.Contains("No picture was given", html, StringComparison.Ordinal);
        Assert.Contains("No yolo2 anchors were given", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"check\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnloadableFile_ShowsTheCheckOnly()
    {
        byte[] file = V3Bytes.Build(64, [(16, 16)], V3Bytes.FullyConnected(0, 4), V3Bytes.FloatMaxPool(4, 16));
        string html = HtmlReport.Render(new ReportInput { Title = "bad.kmodel", Check = ModelCheck.Check(file) });
        Assert.Contains("will fail", html, StringComparison.Ordinal);
        Assert.Contains("MAX_POOL2D", html, StringComparison.Ordinal);
        Assert.Contains("no layer table", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NeedsAModelOrACheck() =>
        Assert.Throws<ArgumentException>(() => HtmlReport.Render(new ReportInput()));

    [Fact]
    public void ReportImage_RejectsBytesThatAreNotPng() =>
        Assert.Throws<ArgumentException>(() => new ReportImage("x", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0]));

    [ChromiumFact]
    public async Task Render_InHeadlessChromium_TakesAScreenshot()
    {
        const string Chromium = ChromiumFactAttribute.Path;
        string dir = Directory.CreateTempSubdirectory("k210kpu-report-").FullName;
        try
        {
            string page = Path.Combine(dir, "report.html");
            string shot = Path.Combine(dir, "report.png");
            HtmlReport.Write(FullInput(), page);
            var psi = new ProcessStartInfo(Chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(dir, "profile")}", $"--screenshot={shot}",
                "--window-size=1280,2000", "file://" + page,
            })
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi)!;
            Task<string> err = p.StandardError.ReadToEndAsync();
            Task<string> output = p.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(true);
                Assert.Fail("chromium did not finish within 90 s");
            }

            await output;
            Assert.True(File.Exists(shot), "no screenshot; chromium said: " + await err);
            byte[] png = File.ReadAllBytes(shot);
            Assert.True(ReportImage.IsPng(png));
            Assert.True(png.Length > 20_000, $"the screenshot is only {png.Length} bytes: the page probably rendered blank");

            string? keep = Environment.GetEnvironmentVariable("K210KPU_REPORT_SCREENSHOT");
            if (!string.IsNullOrEmpty(keep))
            {
                File.Copy(shot, keep, overwrite: true);
                File.Copy(page, Path.ChangeExtension(keep, ".html"), overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
