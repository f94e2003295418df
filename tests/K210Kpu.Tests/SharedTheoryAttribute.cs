namespace K210Kpu.Tests;

/// <summary>A theory that needs ../shared: skipped, with the reason, when it is absent.</summary>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute()
    {
        if (TestFiles.SharedSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
