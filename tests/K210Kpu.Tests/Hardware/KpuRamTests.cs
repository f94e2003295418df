using CsCheck;
using K210Kpu.Hardware;

namespace K210Kpu.Tests.Hardware;

public class KpuRamTests
{
    // kpu-and-kmodel-v3 §7 layout examples.
    [Fact]
    public void Layout_SpecExamples()
    {
        Assert.Equal(256, KpuRam.Offset(16, 4, 4, 0, 0));
        Assert.Equal(16, KpuRam.Offset(16, 4, 1, 0, 0));
        Assert.Equal((2, 1, 32), KpuRam.Layout(20));
        Assert.Equal((1, 2, 64), KpuRam.Layout(100));
        Assert.Equal(2 * 5 * 3, KpuRam.RowsFor(100, 5, 3));
        Assert.Equal(4 * 2, KpuRam.RowsFor(16, 4, 5));
    }

    [Fact]
    public void UploadDownload_IsIdentity()
    {
        Gen.Select(Gen.Int[1, 130], Gen.Int[1, 9], Gen.Int[1, 9], Gen.Int[0, 1000]).Sample((w, h, c, seed) =>
        {
            var ram = new KpuRam();
            var data = new byte[w * h * c];
            new Random(seed).NextBytes(data);
            ram.Upload(data, 100, w, h, c);
            var back = new byte[data.Length];
            ram.Download(100, w, h, c, back);
            return data.AsSpan().SequenceEqual(back);
        }, iter: 200);
    }
}
