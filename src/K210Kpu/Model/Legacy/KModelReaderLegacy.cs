namespace K210Kpu.Model.Legacy;

/// <summary>Reader of the Legacy format (placeholder until the format lands).</summary>
internal static class KModelReaderLegacy
{
    public static KModel Read(ReadOnlyMemory<byte> bytes)
    {
        throw new KModelVersionException("reading this format is not implemented yet", "Legacy", -1);
    }
}
