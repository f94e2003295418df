using Python.Runtime;

namespace K210Kpu.Scripting;

/// <summary>
/// Starts the embedded CPython once per process. After start the GIL is released: every caller that touches
/// Python objects takes <see cref="Py.GIL"/> first.
/// </summary>
internal static class PythonHost
{
    private static readonly Lock Gate = new();
    private static bool _started;
    private static string? _failure;

    /// <summary>Whether Python can be started here; <paramref name="reason"/> says why not.</summary>
    public static bool IsAvailable(out string reason)
    {
        lock (Gate)
        {
            if (_started)
            {
                reason = string.Empty;
                return true;
            }

            if (_failure is not null)
            {
                reason = _failure;
                return false;
            }
        }

        if (PythonLibrary.Find() is null)
        {
            reason = PythonLibrary.InstallHint;
            return false;
        }

        try
        {
            EnsureStarted();
            reason = string.Empty;
            return true;
        }
        catch (PythonUnavailableException ex)
        {
            reason = ex.Message;
            return false;
        }
    }

    /// <summary>Loads the library and initialises the interpreter (idempotent).</summary>
    /// <exception cref="PythonUnavailableException">No usable library.</exception>
    public static void EnsureStarted()
    {
        lock (Gate)
        {
            if (_started)
            {
                return;
            }

            if (_failure is not null)
            {
                throw new PythonUnavailableException(_failure);
            }

            string? path = PythonLibrary.Find();
            if (path is null)
            {
                _failure = PythonLibrary.InstallHint;
                throw new PythonUnavailableException(_failure);
            }

            try
            {
                Python.Runtime.Runtime.PythonDLL = path;
                PythonEngine.Initialize();
                PythonEngine.BeginAllowThreads();
                _started = true;
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or TypeInitializationException or InvalidOperationException)
            {
                _failure = $"cannot start CPython from {path} ({ex.GetBaseException().Message}); {PythonLibrary.InstallHint}";
                throw new PythonUnavailableException(_failure, ex);
            }
        }
    }
}
