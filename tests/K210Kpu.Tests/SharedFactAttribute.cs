namespace K210Kpu.Tests;

/// <summary>A fact that needs the shared corpus: skipped, with a reason, when it is absent.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (TestFiles.SharedDir is null)
        {
            Skip = TestFiles.SharedMissing;
        }
    }
}
