namespace K210Kpu.Tests;

/// <summary>A fact that is skipped, with the reason, when ../shared is absent.</summary>
internal sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (TestFiles.Shared is null)
        {
            Skip = "../shared (models, goldens) is not present next to the repository";
        }
    }
}
