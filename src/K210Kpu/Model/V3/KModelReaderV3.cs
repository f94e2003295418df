namespace K210Kpu.Model.V3;

/// <summary>Reader of the V3 format (placeholder until the format lands).</summary>
internal static class KModelReaderV3
{
    public static KModel Read(ReadOnlyMemory<byte> bytes)
    {
        throw new KModelVersionException("reading this format is not implemented yet", "V3", -1);
    }
}
