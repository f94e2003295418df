using System.Buffers.Binary;

namespace K210Kpu.Analysis;

/// <summary>
/// Reads only the layer-type table of a kmodel V3 file (header, output table, layer headers: kpu-and-kmodel-v3 §4.1–§4.3),
/// so a check can name every layer type the SDK cannot run even when the full reader refuses the file.
/// </summary>
internal static class V3LayerScan
{
    private const int HeaderBytes = 28;

    /// <summary>The layer types in file order, or null when the bytes are not a V3 header. Stops at the end of the data.</summary>
    public static IReadOnlyList<uint>? LayerTypes(ReadOnlySpan<byte> file)
    {
        if (file.Length < HeaderBytes
            || BinaryPrimitives.ReadUInt32LittleEndian(file) != 3
            || BinaryPrimitives.ReadUInt32LittleEndian(file[8..]) != 0)
        {
            return null;
        }

        uint layers = BinaryPrimitives.ReadUInt32LittleEndian(file[12..]);
        uint outputs = BinaryPrimitives.ReadUInt32LittleEndian(file[24..]);
        long pos = HeaderBytes + (8L * outputs);
        var types = new List<uint>();
        for (uint i = 0; i < layers && pos + 8 <= file.Length; i++, pos += 8)
        {
            types.Add(BinaryPrimitives.ReadUInt32LittleEndian(file[(int)pos..]));
        }

        return types;
    }
}
