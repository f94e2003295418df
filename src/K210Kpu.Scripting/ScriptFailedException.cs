namespace K210Kpu.Scripting;

/// <summary>A Python exception left the script; <see cref="Exception.Message"/> is MicroPython-style <c>Type: message</c>.</summary>
public sealed class ScriptFailedException : Exception
{
    internal ScriptFailedException(string pythonType, string pythonMessage, string traceback, int frames)
        : base(pythonMessage.Length == 0 ? pythonType : $"{pythonType}: {pythonMessage}")
    {
        PythonType = pythonType;
        PythonMessage = pythonMessage;
        PythonTraceback = traceback;
        Frames = frames;
    }

    /// <summary>The Python exception's type name (e.g. <c>ValueError</c>).</summary>
    public string PythonType { get; }

    /// <summary>The exception's message as the script would print it.</summary>
    public string PythonMessage { get; }

    /// <summary>The Python traceback, script lines only.</summary>
    public string PythonTraceback { get; }

    /// <summary>Snapshots taken before the failure.</summary>
    public int Frames { get; }
}
