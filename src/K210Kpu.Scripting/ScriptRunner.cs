using System.Diagnostics;
using System.Reflection;
using K210Kpu.Maix;
using K210Kpu.Scripting.Bridge;
using Python.Runtime;

namespace K210Kpu.Scripting;

/// <summary>
/// Runs a MaixPy script unmodified in embedded CPython, with <c>KPU</c>, <c>image</c>, <c>sensor</c>, <c>lcd</c>,
/// MicroPython's <c>time</c>/<c>gc</c>/<c>os</c> and the board modules backed by K210Kpu. One script runs at a time
/// per process.
/// </summary>
public static class ScriptRunner
{
    private static readonly Lock RunGate = new();

    private static readonly string[] ModuleNames = ["_boot", "_mpy", "time", "os", "image", "sensor", "lcd", "KPU", "_board"];

    /// <summary>Whether scripts can run here; <paramref name="reason"/> says what to install when not.</summary>
    public static bool IsAvailable(out string reason) => PythonHost.IsAvailable(out reason);

    /// <summary>Runs the script at <paramref name="scriptPath"/> to its end (or the end of the pictures).</summary>
    /// <exception cref="PythonUnavailableException">CPython's shared library is missing.</exception>
    /// <exception cref="FileNotFoundException">The script does not exist.</exception>
    /// <exception cref="ScriptFailedException">A Python exception left the script.</exception>
    public static ScriptResult Run(string scriptPath, ScriptOptions options)
    {
        ArgumentNullException.ThrowIfNull(scriptPath);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(scriptPath))
        {
            throw new FileNotFoundException($"script not found: {scriptPath}", scriptPath);
        }

        string text = File.ReadAllText(scriptPath);
        return Run(text, Path.GetFullPath(scriptPath), options);
    }

    /// <summary>Runs script source <paramref name="text"/> as if it were the file <paramref name="scriptPath"/>.</summary>
    /// <exception cref="PythonUnavailableException">CPython's shared library is missing.</exception>
    /// <exception cref="ScriptFailedException">A Python exception left the script.</exception>
    public static ScriptResult Run(string text, string scriptPath, ScriptOptions options)
    {
        PythonHost.EnsureStarted();
        var bridge = new ScriptBridge(options, scriptPath);
        long start = Stopwatch.GetTimestamp();
        (string Outcome, string Type, string Message, string Traceback) r;
        lock (RunGate)
        {
            TextWriter kpuOutput = Kpu.Output;
            Kpu.Output = bridge.Output;
            Sensor.Reset();
            bridge.LcdInit(320, 240);
            try
            {
                r = RunPython(bridge, text, scriptPath);
            }
            finally
            {
                bridge.ReleaseModels();
                Kpu.Output = kpuOutput;
                Lcd.SetOutput(null);
            }
        }

        bridge.Flush();
        TimeSpan wall = Stopwatch.GetElapsedTime(start);
        if (r.Outcome == "error")
        {
            throw new ScriptFailedException(r.Type, r.Message, r.Traceback, bridge.Frames);
        }

        string reason = r.Outcome switch
        {
            "frames" => bridge.EndReason ?? "end of frames",
            "exit" => "sys.exit",
            _ => "finished",
        };
        return new ScriptResult(bridge.Frames, bridge.Detections, bridge.KpuRuns, wall, TimeSpan.FromTicks(bridge.Clock.Microseconds * 10), reason);
    }

    private static (string Outcome, string Type, string Message, string Traceback) RunPython(ScriptBridge bridge, string text, string scriptPath)
    {
        using (Py.GIL())
        {
            using var sources = new PyDict();
            foreach (string name in ModuleNames)
            {
                using var key = new PyString(name);
                using var value = new PyString(ReadSource(name));
                sources.SetItem(key, value);
            }

            using PyModule boot = Py.CreateScope("maixpy_boot");
            boot.Set("_bridge", bridge);
            boot.Set("_sources", sources);
            try
            {
                boot.Exec(ReadSource("_boot"));
                using var name = new PyString(Path.GetFileName(scriptPath));
                using var path = new PyString(scriptPath);
                using var source = new PyString(text);
                using PyObject result = boot.Get("run").Invoke(name, path, source);
                return (result[0].As<string>(), result[1].As<string>(), result[2].As<string>(), result[3].As<string>());
            }
            finally
            {
                if (boot.Contains("restore"))
                {
                    boot.Get("restore").Invoke().Dispose();
                }
            }
        }
    }

    private static string ReadSource(string name)
    {
        using Stream s = Assembly.GetExecutingAssembly().GetManifestResourceStream($"K210Kpu.Scripting.Python.{name}.py")
            ?? throw new InvalidOperationException($"embedded module {name}.py is missing from the assembly");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
