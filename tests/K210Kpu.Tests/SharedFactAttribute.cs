namespace K210Kpu.Tests;

/// <summary>A fact that needs ../shared: skipped, with the reason, when it is absent.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (TestFiles.SharedSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
