namespace K210Kpu.Tests.Analysis;

/// <summary>
/// A fact over a real model in ../shared/models. Skipped, with the reason, when the file is absent or when this
/// build cannot read its format yet (the format's reader is still a placeholder).
/// </summary>
internal sealed class RealModelFactAttribute : FactAttribute
{
    public RealModelFactAttribute(string stem)
    {
        string? path = TestFiles.Model(stem);
        if (path is null)
        {
            Skip = $"model {stem}.kmodel is not present (tests/Data/models or ../shared/models)";
            return;
        }

        try
        {
            KModel.Load(path);
        }
        catch (KModelVersionException ex) when (ex.Message.Contains("not implemented", StringComparison.Ordinal))
        {
            Skip = $"{stem}: this build has no reader for {ex.DetectedFormat} yet";
        }
    }
}
