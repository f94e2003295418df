using System.Buffers.Binary;

namespace K210Kpu;

/// <summary>Recognises a model file from its first bytes and names what it is when it is not a runnable model.</summary>
internal static class KModelSniffer
{
    /// <summary>"KMDL" as a little-endian u32 (bytes "LDMK" on disk): nncase ≥ 0.2.</summary>
    public const uint KmdlIdentifier = 0x4B4D444C;

    public static string Describe(ReadOnlySpan<byte> d)
    {
        if (d.Length < 4)
        {
            return d.Length == 0 ? "an empty file" : $"a {d.Length}-byte file (too short for any kmodel)";
        }

        uint first = BinaryPrimitives.ReadUInt32LittleEndian(d);
        uint second = d.Length >= 8 ? BinaryPrimitives.ReadUInt32LittleEndian(d[4..]) : uint.MaxValue;
        uint third = d.Length >= 12 ? BinaryPrimitives.ReadUInt32LittleEndian(d[8..]) : uint.MaxValue;
        if (first == KmdlIdentifier)
        {
            return second switch
            {
                4 => "kmodel V4 (nncase 0.2)",
                5 => "kmodel V5 (nncase 1.x)",
                6 => "kmodel V6 (nncase 2.x, K230)",
                _ => $"kmodel with identifier KMDL and unknown version {second}",
            };
        }

        if (first == 3 && third == 0)
        {
            return "kmodel V3 (nncase 0.1)";
        }

        if (first == 3)
        {
            return $"kmodel V3 header with unsupported arch {third}";
        }

        if (first == 1)
        {
            return "legacy kmodel V1 (Kendryte model compiler)";
        }

        if (d[0] == (byte)'P' && d[1] == (byte)'K' && d[2] == 3 && d[3] == 4)
        {
            return "kfpkg (zip) flash package, not a model: load it into Flash and use Kpu.Load(address)";
        }

        if (d[0] == (byte)'D' && d[1] == (byte)'U' && d[2] == (byte)'D' && d[3] == (byte)'E')
        {
            return "an encrypted CorgiDude model (\"DUDE\" header)";
        }

        if (d.Length >= 8 && d[4] == (byte)'T' && d[5] == (byte)'F' && d[6] == (byte)'L' && d[7] == (byte)'3')
        {
            return "a TensorFlow Lite model (compile it with nncase first)";
        }

        if (d[0] == 0x89 && d[1] == (byte)'P' && d[2] == (byte)'N' && d[3] == (byte)'G')
        {
            return "a PNG image, not a model";
        }

        if (d[0] == 0xFF && d[1] == 0xD8)
        {
            return "a JPEG image, not a model";
        }

        return $"not a kmodel (first word 0x{first:X8})";
    }

    public static KModelFormat Detect(ReadOnlySpan<byte> d)
    {
        string what = Describe(d);
        if (d.Length >= 12)
        {
            uint first = BinaryPrimitives.ReadUInt32LittleEndian(d);
            uint second = BinaryPrimitives.ReadUInt32LittleEndian(d[4..]);
            uint third = BinaryPrimitives.ReadUInt32LittleEndian(d[8..]);
            if (first == KmdlIdentifier && second == 4)
            {
                return KModelFormat.V4;
            }

            if (first == 3 && third == 0)
            {
                return KModelFormat.V3;
            }

            if (first == 1)
            {
                return KModelFormat.Legacy;
            }

            if (first == KmdlIdentifier)
            {
                throw new KModelVersionException($"{what} is recognised but not supported yet; K210Kpu runs kmodel V3, V4 and the legacy format", what, (int)Math.Min(second, int.MaxValue));
            }
        }

        throw new KModelVersionException($"the file is {what}", what, -1);
    }
}
