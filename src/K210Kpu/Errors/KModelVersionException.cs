namespace K210Kpu;

/// <summary>The file was recognised, but its format or version is not one this library runs (for example kmodel V5, or a .kfpkg given as a model).</summary>
public sealed class KModelVersionException : KModelFormatException
{
    internal KModelVersionException(string message, string detectedFormat, int version)
        : base(message, 0)
    {
        DetectedFormat = detectedFormat;
        Version = version;
    }

    /// <summary>What the file was recognised as, e.g. "kmodel V5 (nncase 1.x)", "kfpkg (zip)", "unknown".</summary>
    public string DetectedFormat { get; }

    /// <summary>The version number read from the header, or -1 when there is none.</summary>
    public int Version { get; }
}
