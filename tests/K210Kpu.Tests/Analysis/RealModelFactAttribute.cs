namespace K210Kpu.Tests.Analysis;

/// <summary>
/// A fact over a real model in ../shared/models. Skipped, with the reason, when the file is absent or when this
/// build cannot read its format yet (the format's reader is still a placeholder).
/// </summary>
internal sealed class RealModelFactAttribute : FactAttribute
{
    public RealModelFactAttribute(string fileName)
    {
        string? path = TestFiles.Model(fileName);
        if (path is null)
        {
            Skip = $"../shared/models/{fileName} is not present";
            return;
        }

        try
        {
            KModel.Load(path);
        }
        catch (KModelVersionException ex) when (ex.Message.Contains("not implemented", StringComparison.Ordinal))
        {
            Skip = $"{fileName}: this build has no reader for {ex.DetectedFormat} yet";
        }
    }
}
