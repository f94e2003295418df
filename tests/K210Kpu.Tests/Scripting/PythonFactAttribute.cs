using K210Kpu.Scripting;

namespace K210Kpu.Tests.Scripting;

/// <summary>
/// A fact that runs MaixPy scripts: skipped, with what to install, when CPython's shared library is missing; with
/// <see cref="Shared"/>, also skipped when the shared corpus is absent.
/// </summary>
public sealed class PythonFactAttribute : FactAttribute
{
    private bool _shared;

    public PythonFactAttribute()
    {
        if (!ScriptRunner.IsAvailable(out string reason))
        {
            Skip = reason;
        }
    }

    /// <summary>The test also needs ../shared.</summary>
    public bool Shared
    {
        get => _shared;
        set
        {
            _shared = value;
            if (value && Skip is null && TestFiles.SharedDir is null)
            {
                Skip = TestFiles.SharedMissing;
            }
        }
    }
}
