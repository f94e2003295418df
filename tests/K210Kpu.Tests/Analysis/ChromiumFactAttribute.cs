namespace K210Kpu.Tests.Analysis;

/// <summary>A fact that needs headless Chromium at <see cref="Path"/>; skipped, with the reason, when it is not installed.</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Path))
        {
            Skip = $"{Path} is not installed (apt-get install -y chromium)";
        }
    }
}
