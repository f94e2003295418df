using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace K210Kpu.Maix;

/// <summary>
/// A virtual 16 MiB SPI flash (the K210 boards' W25Q128), erased to 0xFF, which <see cref="Kpu.Load(int)"/> reads
/// models from. Fill it from kfpkg packages as kflash writes them, from a raw flash image, or byte ranges.
/// Everything stays in memory; nothing is written to disk. Not thread-safe.
/// </summary>
public sealed partial class Flash
{
    /// <summary>Size of the flash in bytes (16 MiB).</summary>
    public const int Size = 16 * 1024 * 1024;

    /// <summary>Erase sector size; kflash writes whole sectors.</summary>
    public const int SectorSize = 4096;

    private readonly byte[] _bytes = new byte[Size];

    /// <summary>An erased flash (every byte 0xFF).</summary>
    public Flash()
    {
        Erase();
    }

    /// <summary>The flash <see cref="Kpu.Load(int)"/> uses.</summary>
    public static Flash Default { get; } = new();

    /// <summary>The whole flash.</summary>
    public ReadOnlySpan<byte> Contents => _bytes;

    /// <summary>A flash holding a raw image (the bytes from address 0; the rest erased).</summary>
    /// <exception cref="ArgumentException">The image is larger than the flash.</exception>
    public static Flash FromImage(ReadOnlySpan<byte> image)
    {
        var flash = new Flash();
        flash.Write(0, image);
        return flash;
    }

    /// <summary>A flash holding a raw image file (see <see cref="FromImage(ReadOnlySpan{byte})"/>).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ArgumentException">The image is larger than the flash.</exception>
    public static Flash FromImageFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (info.Exists && info.Length > Size)
        {
            throw new ArgumentException($"a flash image of {info.Length} bytes does not fit the {Size}-byte flash", nameof(path));
        }

        return FromImage(File.ReadAllBytes(path));
    }

    /// <summary>Erases the whole flash to 0xFF.</summary>
    public void Erase() => _bytes.AsSpan().Fill(0xFF);

    /// <summary>Writes bytes at an address.</summary>
    /// <exception cref="ArgumentException">The range does not lie inside the flash.</exception>
    public void Write(int address, ReadOnlySpan<byte> data)
    {
        if (address < 0 || (long)address + data.Length > Size)
        {
            throw new ArgumentException($"{data.Length} bytes at 0x{address:X} do not fit the 16 MiB flash (ends at 0x{Size:X})", nameof(address));
        }

        data.CopyTo(_bytes.AsSpan(address));
    }

    /// <summary>Bytes at an address; valid until the flash is written again.</summary>
    /// <exception cref="ArgumentException">The range does not lie inside the flash.</exception>
    public ReadOnlySpan<byte> Read(int address, int count)
    {
        if (address < 0 || count < 0 || (long)address + count > Size)
        {
            throw new ArgumentException($"{count} bytes at 0x{address:X} are outside the 16 MiB flash", nameof(address));
        }

        return _bytes.AsSpan(address, count);
    }

    /// <summary>Writes every file of a kfpkg package (see <see cref="WriteKfpkg(Stream)"/>).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="KModelFormatException">The package is malformed (see <see cref="WriteKfpkg(Stream)"/>).</exception>
    public IReadOnlyList<FlashEntry> WriteKfpkg(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream fs = File.OpenRead(path);
        return WriteKfpkg(fs);
    }

    /// <summary>
    /// Writes every file of a kfpkg package as kflash does: the package is a ZIP holding <c>flash-list.json</c>
    /// (<c>{"files": [{"address": n, "bin": "name", "sha256Prefix": bool}, ...]}</c>; addresses may be hex
    /// literals such as <c>0xD00000</c>, which kflash accepts although they are not JSON) and the files it names.
    /// With <c>sha256Prefix</c> the bytes written are a 0 byte (no AES), the data length as u32 little-endian,
    /// the data, and the SHA-256 of those three; without it the data as it is, at an address that must be a multiple
    /// of the 4 KiB sector (kflash: "data should 4KiB align"). As kflash writes whole sectors, the rest of the last
    /// sector is filled with zeros. Everything is checked before the first byte is written, so a malformed package
    /// leaves the flash unchanged.
    /// </summary>
    /// <returns>What was written, in manifest order.</returns>
    /// <exception cref="KModelFormatException">Not a ZIP, no or malformed manifest, a named file missing, an address that is not a number or not sector-aligned, or an entry beyond the flash.</exception>
    public IReadOnlyList<FlashEntry> WriteKfpkg(Stream package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var pending = new List<(FlashEntry Entry, byte[] Bytes)>();
        try
        {
            using var zip = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
            ZipArchiveEntry manifestEntry = zip.GetEntry("flash-list.json")
                ?? throw Bad("the kfpkg has no flash-list.json");
            string text = ReadText(manifestEntry);
            string json = HexAddress().Replace(text, m => $"{m.Groups[1].Value}{Convert.ToInt64(m.Groups[2].Value, 16)}");
            using JsonDocument doc = ParseManifest(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("files", out JsonElement files)
                || files.ValueKind != JsonValueKind.Array)
            {
                throw Bad("flash-list.json has no \"files\" array");
            }

            int i = 0;
            foreach (JsonElement f in files.EnumerateArray())
            {
                if (f.ValueKind != JsonValueKind.Object
                    || !f.TryGetProperty("address", out JsonElement a)
                    || !f.TryGetProperty("bin", out JsonElement b)
                    || b.ValueKind != JsonValueKind.String)
                {
                    throw Bad($"flash-list.json entry {i} needs \"address\" (a number) and \"bin\" (a file name)");
                }

                if (a.ValueKind != JsonValueKind.Number || !a.TryGetInt64(out long address) || address < 0)
                {
                    throw Bad($"flash-list.json entry {i}: the address {a.GetRawText()} is not a non-negative integer");
                }

                bool prefix = f.TryGetProperty("sha256Prefix", out JsonElement p) && p.ValueKind == JsonValueKind.True;
                string name = b.GetString()!;
                ZipArchiveEntry entry = zip.GetEntry(name) ?? throw Bad($"flash-list.json names \"{name}\", which is not in the package");
                if (entry.Length > Size)
                {
                    throw Bad($"\"{name}\" ({entry.Length} bytes) is larger than the flash");
                }

                if (!prefix && address % SectorSize != 0)
                {
                    throw Bad($"\"{name}\": the address 0x{address:X} is not a multiple of the 4 KiB sector (kflash: data should 4KiB align)");
                }

                byte[] data = ReadBytes(entry);
                byte[] bytes = prefix ? WithSha256Prefix(data) : data;
                long padded = (bytes.Length + SectorSize - 1L) / SectorSize * SectorSize;
                if (address + padded > Size)
                {
                    throw Bad($"\"{name}\": {bytes.Length} bytes at 0x{address:X} go beyond the end of the 16 MiB flash (0x{Size:X})");
                }

                pending.Add((new FlashEntry((int)address, name, bytes.Length, prefix), bytes));
                i++;
            }
        }
        catch (InvalidDataException e)
        {
            throw new KModelFormatException($"the kfpkg is not a readable ZIP archive: {e.Message}", -1, e);
        }

        foreach ((FlashEntry entry, byte[] bytes) in pending)
        {
            Write(entry.Address, bytes);
            int tail = (SectorSize - (bytes.Length % SectorSize)) % SectorSize;
            _bytes.AsSpan(entry.Address + bytes.Length, tail).Clear();
        }

        return pending.Select(p => p.Entry).ToArray();
    }

    /// <summary>kflash's firmware form: AES flag 0, u32 LE length, data, SHA-256 of the preceding bytes.</summary>
    internal static byte[] WithSha256Prefix(ReadOnlySpan<byte> data)
    {
        byte[] result = new byte[1 + 4 + data.Length + 32];
        result[0] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(1), (uint)data.Length);
        data.CopyTo(result.AsSpan(5));
        SHA256.HashData(result.AsSpan(0, 5 + data.Length), result.AsSpan(5 + data.Length));
        return result;
    }

    private static JsonDocument ParseManifest(string json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new KModelFormatException($"flash-list.json is not valid JSON: {e.Message}", -1, e);
        }
    }

    private static string ReadText(ZipArchiveEntry entry)
    {
        if (entry.Length > 1024 * 1024)
        {
            throw Bad("flash-list.json is larger than 1 MiB");
        }

        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static byte[] ReadBytes(ZipArchiveEntry entry)
    {
        using Stream s = entry.Open();
        using var ms = new MemoryStream((int)entry.Length);
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private static KModelFormatException Bad(string message) => new(message);

    // kflash quotes hex literals before json.loads; here they become decimal numbers.
    [GeneratedRegex("(\"address\"\\s*:\\s*)(?:0[xX])([0-9a-fA-F]+)")]
    private static partial Regex HexAddress();
}
