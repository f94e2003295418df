namespace K210Kpu;

/// <summary>Base of every error caused by the contents of a model file (or a flash package holding one).</summary>
public abstract class KModelException : Exception
{
    private protected KModelException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
