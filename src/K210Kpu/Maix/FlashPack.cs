using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace K210Kpu.Maix;

/// <summary>
/// Tool-side helpers that build what goes into a board's SPI flash: the byte-swapped form of a kmodel that
/// <see cref="Kpu.LoadFlash(int, bool, int, int)"/> reads (what Sipeed's <c>model_le2be.py</c> writes), and kfpkg
/// packages (a ZIP with <c>flash-list.json</c>, the format kflash and <see cref="Flash.WriteKfpkg(Stream)"/> read).
/// </summary>
public static class FlashPack
{
    /// <summary>
    /// The byte <see cref="ToFlashWordOrder"/> pads a model with up to a whole 32-bit word: ASCII '0' (0x30), because
    /// <c>model_le2be.py</c> appends the text <c>"0000"</c>. The padding lies past the model's end and is never read.
    /// </summary>
    public const byte PadByte = 0x30;

    /// <summary>Manifest name inside a kfpkg.</summary>
    public const string ManifestName = "flash-list.json";

    /// <summary>
    /// The flash form <c>kpu.load_flash</c> needs: the model padded to a multiple of 4 bytes with <see cref="PadByte"/>,
    /// then every 32-bit word byte-reversed (bytes 0 1 2 3 become 3 2 1 0), byte-identical to <c>model_le2be.py</c>'s
    /// <c>*_be.kmodel</c>. The K210 reads flash through its SPI controller in 32-bit big-endian frames when streaming,
    /// which undoes the swap.
    /// </summary>
    /// <returns>A new array of <c>ceil(length / 4) · 4</c> bytes.</returns>
    public static byte[] ToFlashWordOrder(ReadOnlySpan<byte> model)
    {
        int length = checked((model.Length + 3) & ~3);
        byte[] padded = new byte[length];
        model.CopyTo(padded);
        padded.AsSpan(model.Length).Fill(PadByte);
        SwapWords(padded, padded);
        return padded;
    }

    /// <summary>
    /// Undoes <see cref="ToFlashWordOrder"/>: reverses the bytes of every 32-bit word. A trailing part shorter than a
    /// word is copied unchanged.
    /// </summary>
    /// <returns>A new array of the same length.</returns>
    public static byte[] FromFlashWordOrder(ReadOnlySpan<byte> flashForm)
    {
        byte[] result = flashForm.ToArray();
        SwapWords(result, result);
        return result;
    }

    /// <summary>
    /// A kfpkg entry for a model at <paramref name="address"/>: the model as it is (for <c>kpu.load</c>), or with
    /// <paramref name="byteSwap"/> in the byte-swapped flash form (for <c>kpu.load_flash</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The address is negative.</exception>
    public static KfpkgFile ModelFile(ReadOnlySpan<byte> model, int address, bool byteSwap, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(address);
        return new KfpkgFile(address, name, byteSwap ? ToFlashWordOrder(model) : model.ToArray());
    }

    /// <summary>
    /// Writes a kfpkg: a ZIP holding <c>flash-list.json</c> (<c>{"version": "0.1.0", "files": [{"address": n,
    /// "bin": "name", "sha256Prefix": false}, ...]}</c>, addresses as decimal numbers) and each file. Entries carry a
    /// fixed timestamp, so the same files give the same package.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// No files; a name that is empty, repeated or is the manifest's; a file that does not fit the 16 MiB flash; two
    /// files that overlap in flash.
    /// </exception>
    public static void WriteKfpkg(Stream destination, IEnumerable<KfpkgFile> files)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(files);
        KfpkgFile[] list = files.ToArray();
        Validate(list);

        var stamp = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        ZipArchiveEntry manifest = zip.CreateEntry(ManifestName, CompressionLevel.Optimal);
        manifest.LastWriteTime = stamp;
        using (Stream s = manifest.Open())
        using (var json = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("version", "0.1.0");
            json.WriteStartArray("files");
            foreach (KfpkgFile f in list)
            {
                json.WriteStartObject();
                json.WriteNumber("address", f.Address);
                json.WriteString("bin", f.Name);
                json.WriteBoolean("sha256Prefix", f.Sha256Prefix);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        foreach (KfpkgFile f in list)
        {
            ZipArchiveEntry entry = zip.CreateEntry(f.Name, CompressionLevel.Optimal);
            entry.LastWriteTime = stamp;
            using Stream s = entry.Open();
            s.Write(f.Data.Span);
        }
    }

    /// <summary>Writes a kfpkg file (see <see cref="WriteKfpkg(Stream, IEnumerable{KfpkgFile})"/>).</summary>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    /// <exception cref="ArgumentException">See <see cref="WriteKfpkg(Stream, IEnumerable{KfpkgFile})"/>.</exception>
    public static void WriteKfpkg(string path, IEnumerable<KfpkgFile> files, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(files);
        KfpkgFile[] list = files.ToArray();
        Validate(list);
        using var ms = new MemoryStream();
        WriteKfpkg(ms, list);
        using FileStream fs = new(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
        ms.Position = 0;
        ms.CopyTo(fs);
    }

    /// <summary>Reverses the bytes of every whole 32-bit word of <paramref name="source"/> into <paramref name="destination"/> (may be the same span); a trailing partial word is copied.</summary>
    internal static void SwapWords(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int whole = source.Length & ~3;
        BinaryPrimitives.ReverseEndianness(
            MemoryMarshal.Cast<byte, uint>(source[..whole]),
            MemoryMarshal.Cast<byte, uint>(destination[..whole]));
        source[whole..].CopyTo(destination[whole..]);
    }

    private static void Validate(KfpkgFile[] files)
    {
        if (files.Length == 0)
        {
            throw new ArgumentException("a kfpkg needs at least one file", nameof(files));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (KfpkgFile f in files)
        {
            ArgumentNullException.ThrowIfNull(f, nameof(files));
            if (string.IsNullOrEmpty(f.Name) || f.Name == ManifestName || !names.Add(f.Name))
            {
                throw new ArgumentException($"file name \"{f.Name}\" is empty, repeated or reserved for the manifest", nameof(files));
            }

            long length = FlashLength(f);
            if (f.Address < 0 || f.Address + length > Flash.Size)
            {
                throw new ArgumentException($"\"{f.Name}\": {length} bytes at 0x{f.Address:X} do not fit the 16 MiB flash (ends at 0x{Flash.Size:X})", nameof(files));
            }
        }

        KfpkgFile[] sorted = files.OrderBy(f => f.Address).ToArray();
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].Address + FlashLength(sorted[i - 1]) > sorted[i].Address)
            {
                throw new ArgumentException($"\"{sorted[i - 1].Name}\" and \"{sorted[i].Name}\" overlap in flash", nameof(files));
            }
        }
    }

    // Bytes kflash writes: with the firmware prefix, 1 + 4 + data + 32.
    private static long FlashLength(KfpkgFile f) => f.Data.Length + (f.Sha256Prefix ? 37L : 0L);
}
