using System.Buffers.Binary;
using static K210Kpu.Tests.V4.V4FileBuilder;

namespace K210Kpu.Tests.V4;

/// <summary>The V4 reader on well-formed, odd and hostile bytes: only <see cref="KModelException"/> subtypes may escape.</summary>
public class V4ReaderTests
{
    private static byte[] SmallModel(bool truncateLastPadding = false)
    {
        var b = new V4FileBuilder { MainMemory = 256, Constants = [.. Enumerable.Range(0, 256).Select(i => (byte)(255 - i))], TruncateLastPadding = truncateLastPadding };
        b.Input(Main, F32, 0, 16, 1, 1, 1, 4).Output(Main, F32, 64, 16);
        b.Node(0x0E, new Body().Range(Main, F32, 0, 16).Range(Main, F32, 16, 16).U32(6).ToArray());
        b.Node(0x06, new Body().Range(Main, F32, 16, 16).Range(Main, U8, 32, 4).I32(3).F32(2f).ToArray());
        b.Node(0x12, new Body().Range(Main, U8, 32, 4).Range(Const, U8, 0, 256).Range(Main, U8, 40, 4).ToArray());
        b.Node(0x03, new Body().Range(Main, U8, 40, 4).Range(Main, F32, 64, 16).I32(1).F32(4f).U8(0xAB).ToArray());
        return b.Build();
    }

    [Fact]
    public void Load_SmallModel_DescribesEveryNode()
    {
        KModel m = KModel.Load(SmallModel());
        Assert.Equal(["Unary", "Quantize", "TableLookup1D", "Dequantize"], m.Layers.Select(l => l.Name));
        Assert.Equal(256, m.MainMemoryBytes);
        Assert.Equal(0, m.KpuRamBytes);
        Assert.Equal("0xCCCCCCCC", m.Header.Single(kv => kv.Key == "reserved0").Value);
        Assert.Equal(ElementType.Float32, m.Layers[0].OutputType);
        Assert.Equal(16, m.Layers[0].OutputStart);
        Assert.Equal(16, m.Layers[0].OutputBytes);
        Assert.Equal(ElementType.UInt8, m.Layers[1].OutputType);
        Assert.Contains("neg", m.Layers[0].Details);
        using var interp = new Interpreter(m);
        interp.SetInput(0, V4Run.Floats([1f, -2f, 0.25f, 40f]));
        interp.Run();

        // neg → quantize (x·2 + 3) → table (255 − q) → dequantize ((q − 1) / 4)
        float[] want = [.. new[] { 1f, -2f, 0.25f, 40f }.Select(v => (255 - Math.Clamp((int)MathF.Round((-v * 2f) + 3, MidpointRounding.AwayFromZero), 0, 255) - 1) * 0.25f)];
        V4Run.AssertFloats(want, interp.GetOutputAsFloats(0), "small model");
    }

    [Fact]
    public void Load_MissingPaddingAfterLastBody_IsTolerated()
    {
        byte[] full = SmallModel();
        byte[] cut = SmallModel(truncateLastPadding: true);
        Assert.True(cut.Length < full.Length);
        Assert.Equal(4, KModel.Load(cut).Layers.Count);
    }

    [Fact]
    public void Load_TrailingData_IsIgnored()
    {
        byte[] file = [.. SmallModel(), .. new byte[1000].Select((_, i) => (byte)i)];
        Assert.Equal(4, KModel.Load(file).Layers.Count);
    }

    [Fact]
    public void Load_BodyTruncatedMoreThanPadding_IsAFormatError()
    {
        byte[] full = SmallModel();
        var e = Assert.Throws<KModelFormatException>(() => KModel.Load(full[..^12]));
        Assert.True(e.Offset > 0);
    }

    [Fact]
    public void Load_UnknownOpcode_NamesTheNode()
    {
        var b = new V4FileBuilder { MainMemory = 64 };
        b.Input(Main, F32, 0, 16, 1, 1, 1, 4).Output(Main, F32, 0, 16);
        b.Node(0x0E, new Body().Range(Main, F32, 0, 16).Range(Main, F32, 16, 16).U32(0).ToArray());
        b.Node(0x3003, new byte[8]);
        var e = Assert.Throws<UnsupportedOperatorException>(() => KModel.Load(b.Build()));
        Assert.Equal(1, e.LayerIndex);
        Assert.Equal(0x3003u, e.OpCode);
    }

    [Theory]
    [InlineData(12, 7u)] // target
    [InlineData(20, 0x7FFFFFFFu)] // main_mem
    [InlineData(24, 0x10000000u)] // nodes
    [InlineData(28, 0xFFFFFFFFu)] // inputs
    [InlineData(16, 0xFFFFFF00u)] // constants
    public void Load_BadHeaderField_ThrowsKModelException(int offset, uint value)
    {
        byte[] file = SmallModel();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(offset), value);
        Assert.ThrowsAny<KModelException>(() => KModel.Load(file));
    }

    [Fact]
    public void Load_RangeBeyondMainMemory_IsAValidationErrorNamingTheNode()
    {
        var b = new V4FileBuilder { MainMemory = 64 };
        b.Input(Main, F32, 0, 16, 1, 1, 1, 4).Output(Main, F32, 0, 16);
        b.Node(0x0E, new Body().Range(Main, F32, 0, 16).Range(Main, F32, 60, 16).U32(0).ToArray());
        var e = Assert.Throws<KModelValidationException>(() => KModel.Load(b.Build()));
        Assert.Equal(0, e.LayerIndex);
    }

    [Fact]
    public void Load_OutputInConstants_IsRejected()
    {
        var b = new V4FileBuilder { MainMemory = 64, Constants = new byte[32] };
        b.Input(Main, F32, 0, 16, 1, 1, 1, 4).Output(Main, F32, 0, 16);
        b.Node(0x0E, new Body().Range(Main, F32, 0, 16).Range(Const, F32, 0, 16).U32(0).ToArray());
        Assert.Throws<KModelValidationException>(() => KModel.Load(b.Build()));
    }

    [Fact]
    public void Load_EveryTruncation_ThrowsOnlyKModelExceptions()
    {
        byte[] file = SmallModel();
        for (int n = 0; n < file.Length - 7; n++)
        {
            byte[] cut = file[..n];
            Exception? e = Record.Exception(() => KModel.Load(cut));
            Assert.True(e is KModelException, $"length {n}: {e?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Load_RandomCorruptions_ThrowOnlyKModelExceptions()
    {
        var rnd = new Random(1234);
        List<byte[]> seeds = [SmallModel()];
        if (TestFiles.Model("nncase_iris_v4") is { } iris)
        {
            seeds.Add(File.ReadAllBytes(iris));
        }

        if (TestFiles.Model("canmv_mnist_112_v4") is { } mnist)
        {
            seeds.Add(File.ReadAllBytes(mnist)[..20000]);
        }

        foreach (byte[] seed in seeds)
        {
            for (int round = 0; round < 400; round++)
            {
                byte[] f = (byte[])seed.Clone();
                int edits = rnd.Next(1, 8);
                for (int e = 0; e < edits; e++)
                {
                    int at = rnd.Next(8, f.Length);
                    switch (rnd.Next(3))
                    {
                        case 0:
                            f[at] = (byte)rnd.Next(256);
                            break;
                        case 1:
                            if (at + 4 <= f.Length)
                            {
                                BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(at), (uint)rnd.Next(int.MinValue, int.MaxValue));
                            }

                            break;
                        default:
                            if (at + 4 <= f.Length)
                            {
                                BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(at), rnd.Next(-3, 70000));
                            }

                            break;
                    }
                }

                try
                {
                    KModel m = KModel.Load(f);
                    using var interp = new Interpreter(m);
                    if (m.Inputs.Count > 0)
                    {
                        interp.SetInput(0, new byte[m.Inputs[0].ByteSize]);
                    }

                    if (m.Layers.Count > 0 && m.Layers.All(l => l.Name != "KPUConv2D"))
                    {
                        interp.Run();
                    }
                }
                catch (Exception ex) when (ex is KModelException or KpuRuntimeException)
                {
                }
            }
        }
    }

    [Fact]
    public void Load_RandomBytesAfterHeader_ThrowOnlyKModelExceptions()
    {
        var rnd = new Random(99);
        for (int round = 0; round < 2000; round++)
        {
            byte[] f = new byte[rnd.Next(12, 400)];
            rnd.NextBytes(f);
            BinaryPrimitives.WriteUInt32LittleEndian(f, 0x4B4D444C);
            BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(4), 4);
            if (f.Length >= 40 && rnd.Next(2) == 0)
            {
                // small, plausible counts so the reader gets into the node bodies
                BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(12), 1);
                BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(16), (uint)rnd.Next(0, 64));
                BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(20), (uint)rnd.Next(0, 4096));
                BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(24), (uint)rnd.Next(0, 4));
                BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(28), (uint)rnd.Next(0, 2));
                BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(32), (uint)rnd.Next(0, 2));
            }

            Exception? e = Record.Exception(() => KModel.Load(f));
            Assert.True(e is null or KModelException, $"round {round}: {e}");
        }
    }
}
