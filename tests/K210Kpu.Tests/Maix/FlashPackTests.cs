using System.IO.Compression;
using System.Text.Json;
using K210Kpu.Maix;

namespace K210Kpu.Tests.Maix;

public class FlashPackTests
{
    [Fact]
    public void ToFlashWordOrder_SwapsEachWordAndPadsLikeModelLe2Be()
    {
        byte[] model = [1, 2, 3, 4, 5, 6];
        Assert.Equal(new byte[] { 4, 3, 2, 1, 0x30, 0x30, 6, 5 }, FlashPack.ToFlashWordOrder(model));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 0x30, 0x30 }, FlashPack.FromFlashWordOrder(FlashPack.ToFlashWordOrder(model)));
        Assert.Empty(FlashPack.ToFlashWordOrder([]));
    }

    [Fact]
    public void ByteSwap_RoundTrips()
    {
        var random = new Random(210);
        foreach (int length in new[] { 4, 5, 7, 8, 1000, 4097 })
        {
            byte[] model = new byte[length];
            random.NextBytes(model);
            byte[] swapped = FlashPack.ToFlashWordOrder(model);
            Assert.Equal(0, swapped.Length % 4);
            Assert.Equal(model, FlashPack.FromFlashWordOrder(swapped)[..length]);
            Assert.Equal(swapped, FlashPack.FromFlashWordOrder(FlashPack.FromFlashWordOrder(swapped)));
        }
    }

    [Fact]
    public void WriteKfpkg_ReadBackByFlash_PutsEachFileAtItsAddress()
    {
        byte[] model = Enumerable.Range(0, 1001).Select(i => (byte)i).ToArray();
        using var ms = new MemoryStream();
        FlashPack.WriteKfpkg(ms, [FlashPack.ModelFile(model, 0x600000, true, "m_be.kmodel"), FlashPack.ModelFile(model, 0x300000, false, "m.kmodel")]);

        ms.Position = 0;
        var flash = new Flash();
        IReadOnlyList<FlashEntry> entries = flash.WriteKfpkg(ms);
        Assert.Equal([new FlashEntry(0x600000, "m_be.kmodel", 1004, false), new FlashEntry(0x300000, "m.kmodel", 1001, false)], entries);
        Assert.Equal(model, flash.Read(0x300000, 1001).ToArray());
        Assert.Equal(model, FlashPack.FromFlashWordOrder(flash.Read(0x600000, 1004))[..1001]);

        ms.Position = 0;
        using var zip = new ZipArchive(ms, ZipArchiveMode.Read);
        using JsonDocument manifest = JsonDocument.Parse(zip.GetEntry("flash-list.json")!.Open());
        Assert.Equal("0.1.0", manifest.RootElement.GetProperty("version").GetString());
        JsonElement first = manifest.RootElement.GetProperty("files")[0];
        Assert.Equal(0x600000, first.GetProperty("address").GetInt32());
        Assert.Equal("m_be.kmodel", first.GetProperty("bin").GetString());
        Assert.False(first.GetProperty("sha256Prefix").GetBoolean());
    }

    [Fact]
    public void WriteKfpkg_SameFiles_SameBytes()
    {
        byte[] Pack()
        {
            using var ms = new MemoryStream();
            FlashPack.WriteKfpkg(ms, [FlashPack.ModelFile(new byte[100], 0x300000, false, "a.kmodel")]);
            return ms.ToArray();
        }

        Assert.Equal(Pack(), Pack());
    }

    [Fact]
    public void WriteKfpkg_File_RefusesToOverwriteUnlessAsked()
    {
        string path = Path.Combine(Path.GetTempPath(), $"k210kpu-{Guid.NewGuid():N}.kfpkg");
        KfpkgFile[] files = [FlashPack.ModelFile(new byte[8], 0x300000, true, "a_be.kmodel")];
        try
        {
            FlashPack.WriteKfpkg(path, files);
            Assert.Throws<IOException>(() => FlashPack.WriteKfpkg(path, files));
            FlashPack.WriteKfpkg(path, files, overwrite: true);
            Assert.Single(new Flash().WriteKfpkg(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WriteKfpkg_BadFiles_Throw()
    {
        byte[] data = new byte[16];
        (KfpkgFile[] Files, string Want)[] cases =
        [
            ([], "at least one file"),
            ([new KfpkgFile(0, "a", data), new KfpkgFile(0x100, "a", data)], "repeated"),
            ([new KfpkgFile(0, "flash-list.json", data)], "reserved"),
            ([new KfpkgFile(Flash.Size - 8, "a", data)], "do not fit"),
            ([new KfpkgFile(0x100, "a", data), new KfpkgFile(0x108, "b", data)], "overlap"),
            ([new KfpkgFile(0, "fw", data, true), new KfpkgFile(16 + 20, "b", data)], "overlap"),
        ];
        foreach ((KfpkgFile[] files, string want) in cases)
        {
            var e = Assert.Throws<ArgumentException>(() => FlashPack.WriteKfpkg(new MemoryStream(), files));
            Assert.Contains(want, e.Message, StringComparison.Ordinal);
        }
    }
}
