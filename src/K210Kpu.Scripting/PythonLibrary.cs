namespace K210Kpu.Scripting;

/// <summary>Finds the CPython shared library that scripts run on.</summary>
internal static class PythonLibrary
{
    /// <summary>The environment variable that names the library explicitly (pythonnet's own name for it).</summary>
    public const string EnvironmentVariable = "PYTHONNET_PYDLL";

    /// <summary>What to install when no library is found.</summary>
    public const string InstallHint =
        "running MaixPy scripts needs CPython's shared library libpython3.11.so.1.0: install it with " +
        "`apt-get install -y libpython3.11` (Debian/Ubuntu), or set PYTHONNET_PYDLL to the path of a libpython3.x shared library";

    private static readonly string[] Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0",
        "/usr/lib/aarch64-linux-gnu/libpython3.11.so.1.0",
        "/usr/lib/libpython3.11.so.1.0",
        "/usr/local/lib/libpython3.11.so.1.0",
        "/usr/lib/x86_64-linux-gnu/libpython3.12.so.1.0",
        "/usr/lib/aarch64-linux-gnu/libpython3.12.so.1.0",
        "/usr/lib/x86_64-linux-gnu/libpython3.13.so.1.0",
        "/usr/lib/aarch64-linux-gnu/libpython3.13.so.1.0",
        "/opt/homebrew/Frameworks/Python.framework/Versions/3.11/lib/libpython3.11.dylib",
        "/usr/local/Frameworks/Python.framework/Versions/3.11/lib/libpython3.11.dylib",
    ];

    /// <summary>The library to load: <c>PYTHONNET_PYDLL</c> when it names an existing file, else the first known path that exists.</summary>
    public static string? Find()
    {
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return File.Exists(env) ? env : null;
        }

        foreach (string c in Candidates)
        {
            if (File.Exists(c))
            {
                return c;
            }
        }

        return null;
    }
}
