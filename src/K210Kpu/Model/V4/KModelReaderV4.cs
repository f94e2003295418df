namespace K210Kpu.Model.V4;

/// <summary>Reader of the V4 format (placeholder until the format lands).</summary>
internal static class KModelReaderV4
{
    public static KModel Read(ReadOnlyMemory<byte> bytes)
    {
        throw new KModelVersionException("reading this format is not implemented yet", "V4", -1);
    }
}
