using K210Kpu.Scripting;

namespace K210Kpu.Tests.Scripting;

/// <summary>A fact that runs MaixPy scripts: skipped, with what to install, when CPython's shared library is missing.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (!ScriptRunner.IsAvailable(out string reason))
        {
            Skip = reason;
        }
    }
}
