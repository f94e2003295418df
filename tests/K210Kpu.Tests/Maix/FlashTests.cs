using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using K210Kpu.Maix;

namespace K210Kpu.Tests.Maix;

public class FlashTests
{
    [Fact]
    public void New_IsErased()
    {
        var flash = new Flash();
        Assert.Equal(Flash.Size, flash.Contents.Length);
        Assert.True(flash.Contents.IndexOfAnyExcept((byte)0xFF) < 0);
    }

    [SharedFact]
    public void WriteKfpkg_FaceModel_LandsAt0x300000()
    {
        var flash = new Flash();
        IReadOnlyList<FlashEntry> entries = flash.WriteKfpkg(TestFiles.Shared("models", "maixpy_face_model_at_0x300000.kfpkg"));
        FlashEntry e = Assert.Single(entries);
        Assert.Equal(new FlashEntry(0x300000, "facedetect.kmodel", 388776, false), e);
        byte[] model = File.ReadAllBytes(TestFiles.Shared("models", "maixpy_face_yolo2_v3.kmodel"));
        Assert.True(flash.Read(0x300000, model.Length).SequenceEqual(model));
        // kflash writes whole 4 KiB sectors, zero-filling the last one: 388776 → 389120 bytes.
        Assert.True(flash.Read(0x300000 + model.Length, 389120 - model.Length).IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal(0xFF, flash.Contents[0x300000 + 389120]);
        Assert.Equal(0xFF, flash.Contents[0x300000 - 1]);
    }

    [SharedFact]
    public void WriteKfpkg_HexLiteralAddress_IsAccepted()
    {
        var flash = new Flash();
        FlashEntry e = Assert.Single(flash.WriteKfpkg(TestFiles.Shared("models", "labplus_erase_spiffs.kfpkg")));
        Assert.Equal(0xD00000, e.Address);
        Assert.Equal(204800, e.Length);
        using ZipArchive zip = ZipFile.OpenRead(TestFiles.Shared("models", "labplus_erase_spiffs.kfpkg"));
        using var ms = new MemoryStream();
        zip.GetEntry("1.bin")!.Open().CopyTo(ms);
        Assert.True(flash.Read(0xD00000, 204800).SequenceEqual(ms.ToArray()));
    }

    [Fact]
    public void WriteKfpkg_Sha256Prefix_WritesKflashFirmwareForm()
    {
        byte[] data = Encoding.ASCII.GetBytes("firmware!");
        var flash = new Flash();
        flash.WriteKfpkg(Package("""{"version":"0.1.0","files":[{"address":16,"bin":"fw.bin","sha256Prefix":true}]}""", ("fw.bin", data)));
        Assert.Equal(0, flash.Contents[16 + 1 + 4 + data.Length + 32]); // zero fill to the sector end
        Assert.Equal(0xFF, flash.Contents[16 + 4096]);
        ReadOnlySpan<byte> w = flash.Read(16, 1 + 4 + data.Length + 32);
        Assert.Equal(0, w[0]);
        Assert.Equal(data.Length, BitConverter.ToInt32(w[1..5]));
        Assert.True(w.Slice(5, data.Length).SequenceEqual(data));
        Assert.True(w[(5 + data.Length)..].SequenceEqual(SHA256.HashData(w[..(5 + data.Length)])));
    }

    [Theory]
    [InlineData("not a zip at all")]
    public void WriteKfpkg_NotAZip_ThrowsFormatError(string content)
    {
        var flash = new Flash();
        var e = Assert.Throws<KModelFormatException>(() => flash.WriteKfpkg(new MemoryStream(Encoding.ASCII.GetBytes(content))));
        Assert.Contains("ZIP", e.Message);
    }

    [Fact]
    public void WriteKfpkg_Malformed_ThrowsClearErrorsAndLeavesFlashUnchanged()
    {
        byte[] data = [1, 2, 3];
        (string Json, string Want)[] cases =
        [
            ("{", "not valid JSON"),
            ("""{"files": 3}""", "\"files\" array"),
            ("""{"files":[{"bin":"a.bin"}]}""", "needs \"address\""),
            ("""{"files":[{"address":"x","bin":"a.bin"}]}""", "not a non-negative integer"),
            ("""{"files":[{"address":0,"bin":"missing.bin"}]}""", "not in the package"),
            ("""{"files":[{"address":16773120,"bin":"a.bin"},{"address":16777216,"bin":"a.bin"}]}""", "beyond the end"),
            ("""{"files":[{"address":16,"bin":"a.bin"}]}""", "4KiB align"),
            ("""{"files":[{"address":0,"bin":"a.bin"},{"address":0x1000000,"bin":"a.bin"}]}""", "beyond the end"),
        ];
        foreach ((string json, string want) in cases)
        {
            var flash = new Flash();
            var e = Assert.Throws<KModelFormatException>(() => flash.WriteKfpkg(Package(json, ("a.bin", data))));
            Assert.Contains(want, e.Message);
            Assert.True(flash.Contents.IndexOfAnyExcept((byte)0xFF) < 0, json);
        }

        var noManifest = new Flash();
        Assert.Contains("no flash-list.json", Assert.Throws<KModelFormatException>(() => noManifest.WriteKfpkg(Package(null, ("a.bin", data)))).Message);
    }

    [Fact]
    public void WriteKfpkg_ReadsOnlyTheStream()
    {
        // Everything happens in memory: a package given as a stream is accepted without any file behind it.
        var flash = new Flash();
        using MemoryStream package = Package("""{"files":[{"address":0x1000,"bin":"a.bin","sha256Prefix":false}]}""", ("a.bin", [7, 8]));
        flash.WriteKfpkg(package);
        Assert.Equal(new byte[] { 7, 8, 0 }, flash.Read(0x1000, 3).ToArray());
    }

    [Fact]
    public void Write_BeyondFlash_Throws()
    {
        var flash = new Flash();
        Assert.Throws<ArgumentException>(() => flash.Write(Flash.Size - 1, [1, 2]));
        Assert.Throws<ArgumentException>(() => flash.Read(-1, 1));
    }

    internal static MemoryStream Package(string? manifest, params (string Name, byte[] Data)[] files)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            if (manifest is not null)
            {
                using var w = new StreamWriter(zip.CreateEntry("flash-list.json").Open());
                w.Write(manifest);
            }

            foreach ((string name, byte[] data) in files)
            {
                using Stream s = zip.CreateEntry(name).Open();
                s.Write(data);
            }
        }

        ms.Position = 0;
        return ms;
    }
}
