namespace K210Kpu;

/// <summary>A failure at run time that is not the model file's fault: wrong input size or format, an index out of range, a cancelled or timed-out run.</summary>
public class KpuRuntimeException : Exception
{
    internal KpuRuntimeException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
