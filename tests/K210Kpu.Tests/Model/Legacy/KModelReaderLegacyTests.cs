using System.Runtime.InteropServices;

namespace K210Kpu.Tests.Model.Legacy;

public class KModelReaderLegacyTests
{
    private static string ModelPath => Path.Combine(TestFiles.DataDir, "models", "sdk_face_detect_legacy_v1.kmodel");

    private static string CaseDir => Path.Combine(TestFiles.VendoredGolden, "sdk_face_detect_legacy_v1", "astronaut");

    [Fact]
    public void Load_FaceModel_DescribesItsLayers()
    {
        KModel model = KModel.Load(ModelPath);
        Assert.Equal(KModelFormat.Legacy, model.Format);
        Assert.Equal(23, model.Layers.Count);
        Assert.All(model.Layers, l => Assert.Equal("K210Conv", l.Name));
        Assert.Equal(new[] { 1, 3, 240, 320 }, model.Inputs[0].Shape);
        Assert.Equal(new[] { 1, 30, 15, 20 }, model.Outputs[0].Shape);
        Assert.Equal(ElementType.UInt8, model.Outputs[0].ElementType);
        KpuLayerInfo first = model.Layers[0].Kpu!;
        Assert.Equal((320, 240, 160, 120, 3, 16, 1), (first.InputWidth, first.InputHeight, first.OutputWidth, first.OutputHeight, first.InputChannels, first.OutputChannels, first.PoolType));
        Assert.Equal(30720, model.Layers[14].Kpu!.ParaSize);
        LayerQuantization q = model.Layers[^1].Quantization!;
        Assert.Equal(0.24219520390033722f, q.OutputScale);
        Assert.Equal(-57.1580696105957f, q.OutputBias);
        Assert.Contains(model.Header, h => h.Key == "layers_argument_start" && h.Value == "383888");
    }

    [Fact]
    public void Dequantize_WithLastLayerQuantization_MatchesTheGoldenView()
    {
        KModel model = KModel.Load(ModelPath);
        using var it = new Interpreter(model);
        it.SetInput(0, File.ReadAllBytes(Path.Combine(CaseDir, "input.bin")));
        it.Run();
        byte[] raw = it.GetOutput(0).ToArray();
        Assert.Equal(File.ReadAllBytes(Path.Combine(CaseDir, "output_0.bin")), raw);
        LayerQuantization q = model.Layers[^1].Quantization!;
        float[] want = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(CaseDir, "output_0_dequantized_f32.bin"))).ToArray();
        float[] wantFma = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(CaseDir, "output_0_dequantized_f32_fma.bin"))).ToArray();
        Assert.Equal(want, raw.Select(q.Dequantize).ToArray());
        Assert.Equal(wantFma, raw.Select(b => MathF.FusedMultiplyAdd(b, q.OutputScale, q.OutputBias)).ToArray());
    }

    [Fact]
    public void Load_Truncated_ThrowsFormatException()
    {
        byte[] bytes = File.ReadAllBytes(ModelPath);
        foreach (int length in new[] { 12, 19, 20, 500, 383888, bytes.Length - 1 })
        {
            Assert.ThrowsAny<KModelFormatException>(() => KModel.Load(bytes[..length]));
        }
    }
}
