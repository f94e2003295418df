using K210Kpu.Fuzz;
using K210Kpu.Maix;

namespace K210Kpu.Tests.Robustness;

public sealed class FuzzRegressionTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(Path.Combine(TestFiles.DataDir, "fuzz")).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void HostileFile_IsRefusedWithATypedError(string name)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(TestFiles.DataDir, "fuzz", name));
        Assert.Equal(name == UnderstatedSize ? "ok" : "load", FuzzTarget.Execute(bytes));
    }

    private const string UnderstatedSize = "kfpkg-size-understated.kfpkg";

    [Fact]
    public void KfpkgEntryLargerThanItsHeaderSays_IsReadNoFurtherThanTheDeclaredSize()
    {
        var flash = new Flash();
        using FileStream fs = File.OpenRead(Path.Combine(TestFiles.DataDir, "fuzz", UnderstatedSize));
        IReadOnlyList<FlashEntry> entries = flash.WriteKfpkg(fs);
        Assert.Equal(16, Assert.Single(entries).Length);
    }

    [Theory]
    [InlineData("kfpkg-path-entry.kfpkg", "path")]
    [InlineData("kfpkg-duplicate-name.kfpkg", "twice")]
    [InlineData("kfpkg-invalid-json.kfpkg", "not valid JSON")]
    [InlineData("kfpkg-address-beyond-flash.kfpkg", "beyond the end")]
    [InlineData("kfpkg-bomb-20mib.kfpkg", "larger than the flash")]
    public void HostileKfpkg_NamesTheProblem_AndLeavesTheFlashUnchanged(string name, string expected)
    {
        var flash = new Flash();
        byte[] before = flash.Contents.ToArray();
        using FileStream fs = File.OpenRead(Path.Combine(TestFiles.DataDir, "fuzz", name));
        var e = Assert.Throws<KModelFormatException>(() => flash.WriteKfpkg(fs));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.True(before.AsSpan().SequenceEqual(flash.Contents));
    }
}
