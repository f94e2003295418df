namespace K210Kpu.Scripting;

/// <summary>CPython's shared library is missing or cannot be started; the message says what to install.</summary>
public sealed class PythonUnavailableException : Exception
{
    internal PythonUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
