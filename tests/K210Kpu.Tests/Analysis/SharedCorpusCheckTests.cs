using K210Kpu.Analysis;
using Xunit.Abstractions;

namespace K210Kpu.Tests.Analysis;

/// <summary>The check and the estimate over every file in ../shared/models: never an exception, always a verdict.</summary>
public class SharedCorpusCheckTests(ITestOutputHelper output)
{
    [SharedFact]
    public void CheckFile_EveryFileInTheCorpus_GivesAVerdictWithoutThrowing()
    {
        string[] files = Directory.GetFiles(Path.Combine(TestFiles.SharedDir!, "models")).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            foreach (TargetFirmware fw in new[] { TargetFirmware.MaixPy, TargetFirmware.Sdk })
            {
                ModelCheckResult r = ModelCheck.CheckFile(file, new ModelCheckOptions { Firmware = fw, FlashOffset = 0x300000 });
                Assert.NotEmpty(r.Findings);
                Assert.Contains(r.ExitCode, new[] { 0, 4, 5 });
                if (r.Model is not null)
                {
                    Assert.NotNull(r.Estimate);
                    Assert.True(r.Estimate!.ModelMilliseconds > 0 && double.IsFinite(r.Estimate.ModelMilliseconds), Path.GetFileName(file));
                    Assert.Equal(r.Model.Layers.Count, r.Estimate.Layers.Count);
                }

                if (fw == TargetFirmware.MaixPy)
                {
                    output.WriteLine($"{Path.GetFileName(file),-42} {r.Verdict,-8} {(r.Estimate is { } e ? $"{e.ModelMilliseconds,7:0.00} ms {e.TotalMacs / 1e6,7:0.0} MMAC" : r.Description)}");
                }
            }
        }
    }

    [SharedFact]
    public void Render_EveryLoadableModel_ProducesAPage()
    {
        foreach (string file in Directory.GetFiles(Path.Combine(TestFiles.SharedDir!, "models"), "*.kmodel"))
        {
            ModelCheckResult r = ModelCheck.CheckFile(file);
            string html = HtmlReport.Render(new ReportInput { Title = Path.GetFileName(file), Check = r, Model = r.Model });
            foreach (string id in HtmlReport.SectionIds)
            {
                Assert.Contains($"<section id=\"{id}\">", html, StringComparison.Ordinal);
            }
        }
    }
}
