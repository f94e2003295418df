using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace K210Kpu.Scripting.Bridge;

/// <summary>
/// The board's 16 MiB SPI flash, filled from kfpkg packages (a ZIP with <c>flash-list.json</c>, maixpy-api §11) or raw
/// files named <c>NAME@0xADDR.ext</c>. Only the written ranges are kept.
/// </summary>
internal sealed partial class FlashImage
{
    public const long Size = 16L * 1024 * 1024;

    private readonly List<(long Address, byte[] Data, string Name)> _regions = [];

    public IReadOnlyList<(long Address, byte[] Data, string Name)> Regions => _regions;

    public void AddPackage(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"flash package not found: {path}", path);
        }

        Match raw = RawName().Match(Path.GetFileName(path));
        if (raw.Success)
        {
            Write(long.Parse(raw.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), File.ReadAllBytes(path), Path.GetFileName(path));
            return;
        }

        using ZipArchive zip = ZipFile.OpenRead(path);
        ZipArchiveEntry manifest = zip.GetEntry("flash-list.json")
            ?? throw new InvalidDataException($"{path}: not a kfpkg (no flash-list.json)");
        string json;
        using (var reader = new StreamReader(manifest.Open()))
        {
            json = HexLiteral().Replace(reader.ReadToEnd(), m => m.Groups[1].Value + "\"" + m.Groups[2].Value + "\"");
        }

        using JsonDocument doc = JsonDocument.Parse(json);
        foreach (JsonElement file in doc.RootElement.GetProperty("files").EnumerateArray())
        {
            JsonElement a = file.GetProperty("address");
            long address = a.ValueKind == JsonValueKind.Number
                ? a.GetInt64()
                : ParseAddress(a.GetString() ?? string.Empty);
            string bin = file.GetProperty("bin").GetString() ?? string.Empty;
            bool prefixed = file.TryGetProperty("sha256Prefix", out JsonElement p) && p.ValueKind == JsonValueKind.True;
            ZipArchiveEntry entry = zip.GetEntry(bin) ?? throw new InvalidDataException($"{path}: {bin} is listed but not in the package");
            using var ms = new MemoryStream();
            using (Stream s = entry.Open())
            {
                s.CopyTo(ms);
            }

            byte[] data = ms.ToArray();
            if (prefixed)
            {
                // Firmware images carry aes flag (1 B) + u32 length + data + SHA-256 on the board.
                byte[] framed = new byte[5 + data.Length + 32];
                BitConverter.TryWriteBytes(framed.AsSpan(1, 4), data.Length);
                data.CopyTo(framed, 5);
                System.Security.Cryptography.SHA256.HashData(framed.AsSpan(0, 5 + data.Length)).CopyTo(framed, 5 + data.Length);
                data = framed;
            }

            Write(address, data, bin);
        }
    }

    public void Write(long address, byte[] data, string name)
    {
        if (address < 0 || address + data.Length > Size)
        {
            throw new InvalidDataException($"{name}: {data.Length} bytes at 0x{address:X} do not fit in the 16 MiB flash");
        }

        _regions.RemoveAll(r => r.Address < address + data.Length && address < r.Address + r.Data.Length);
        _regions.Add((address, data, name));
    }

    /// <summary>The bytes from <paramref name="address"/> to the end of the region holding it, or empty when nothing was written there.</summary>
    public ReadOnlyMemory<byte> ReadFrom(long address)
    {
        foreach ((long a, byte[] d, _) in _regions)
        {
            if (address >= a && address < a + d.Length)
            {
                return d.AsMemory((int)(address - a));
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    private static long ParseAddress(string s) =>
        s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : long.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"@0x([0-9A-Fa-f]+)\.[A-Za-z0-9]+$")]
    private static partial Regex RawName();

    [GeneratedRegex(@"(:\s*)(0[xX][0-9A-Fa-f]+)")]
    private static partial Regex HexLiteral();
}
