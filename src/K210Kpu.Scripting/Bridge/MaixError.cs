namespace K210Kpu.Scripting.Bridge;

/// <summary>An error the Python modules re-raise as the named Python exception with MaixPy's message.</summary>
public sealed class MaixError : Exception
{
    internal MaixError(string pythonType, string message)
        : base(message)
    {
        PythonType = pythonType;
    }

    /// <summary><c>ValueError</c>, <c>TypeError</c>, <c>OSError</c> or <c>RuntimeError</c>.</summary>
    public string PythonType { get; }

    internal static MaixError Value(string message) => new("ValueError", message);

    internal static MaixError Type(string message) => new("TypeError", message);

    internal static MaixError OS(string message) => new("OSError", message);
}
