namespace K210Kpu;

/// <summary>The file is not a readable model: truncated, bad magic, an offset or size outside the file.</summary>
public class KModelFormatException : KModelException
{
    internal KModelFormatException(string message, long offset = -1, Exception? inner = null)
        : base(message, inner)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the file where the problem was found, or -1 when it concerns the file as a whole.</summary>
    public long Offset { get; }
}
