namespace K210Kpu.Tests;

/// <summary>A theory that needs the shared corpus: skipped, with a reason, when it is absent.</summary>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute()
    {
        if (TestFiles.SharedDir is null)
        {
            Skip = TestFiles.SharedMissing;
        }
    }
}
