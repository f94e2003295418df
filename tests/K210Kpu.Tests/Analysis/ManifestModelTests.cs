using System.Text.Json;
using K210Kpu.Analysis;
using Xunit.Abstractions;

namespace K210Kpu.Tests.Analysis;

/// <summary>
/// The timing model on real layer tables taken from ../shared/models/manifest.json (dimensions read from the files when the
/// manifest was made), so the published whole-model figures are checked without depending on a model reader.
/// </summary>
public class ManifestModelTests(ITestOutputHelper output)
{
    private void Print(LatencyEstimate e)
    {
        foreach (LayerLatency l in e.Layers)
        {
            output.WriteLine(System.FormattableString.Invariant($"{l.Index,3} {l.Name,-20} {l.Unit} {l.Macs / 1e6,8:0.00} MMAC {l.Milliseconds,8:0.000} ms  lines {l.Lines,9} pairs {l.WeightPairs,7} out {l.OutputDmaMilliseconds:0.000}"));
        }

        output.WriteLine(System.FormattableString.Invariant($"KPU {e.KpuMilliseconds:0.00} + DMA {e.OutputDmaMilliseconds:0.00} + CPU {e.CpuMilliseconds:0.00} = {e.ModelMilliseconds:0.00} ms; +in {e.InputUploadMilliseconds:0.00}; {e.TotalMacs / 1e6:0.0} MMAC"));
    }

    private static List<LayerDescriptor> KpuLayers(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestFiles.SharedDir!, "models", "manifest.json")));
        JsonElement entry = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("file").GetString() == file);
        var layers = new List<LayerDescriptor>();
        int i = 0;
        foreach (JsonElement d in entry.GetProperty("header").GetProperty("kpu_conv_dims").EnumerateArray())
        {
            // [[wi, hi, ci], [wo, ho, co], "3x3"|"1x1", pool_type, depthwise]
            JsonElement input = d[0], output = d[1];
            var info = new KpuLayerInfo(
                input[0].GetInt32(), input[1].GetInt32(), output[0].GetInt32(), output[1].GetInt32(), input[2].GetInt32(), output[2].GetInt32(),
                d[4].GetInt32() == 1, d[2].GetString() == "3x3" ? 1 : 0, d[3].GetInt32(), 0, 0, 0, 0, false);
            layers.Add(new LayerDescriptor(i++, 10240, "K210Conv", 0, 0) { Kpu = info, OutputBytes = info.OutputWidth * info.OutputHeight * info.OutputChannels });
        }

        return layers;
    }

    private static LayerDescriptor WithMainOutput(LayerDescriptor l) =>
        new(l.Index, l.OpCode, l.Name, 0, 0) { Kpu = l.Kpu! with { MainMemoryOutput = true }, OutputBytes = l.OutputBytes };

    [SharedFact]
    public void Mbnet75FromManifest_WithinStatedErrorOfPublished()
    {
        List<LayerDescriptor> convs = KpuLayers("maixpy_mbnet75_imagenet_v3.kmodel");
        Assert.Equal(28, convs.Count);

        // Layer sequence (manifest): 27 convs, DEQUANTIZE, GAP, QUANTIZE, K210_ADD_PADDING, conv 768→1000 on 4×4, K210_REMOVE_PADDING, DEQUANTIZE, SOFTMAX.
        // CPU element counts: 7×7×768 = 37632 for the dequantize and the GAP, 768 for quantize and padding, 1000 for the tail.
        var layers = new List<LayerDescriptor>();
        layers.AddRange(convs.Take(26));
        layers.Add(WithMainOutput(convs[26]));
        layers.Add(SyntheticModel.Cpu(27, 12, "Dequantize", 37632 * 4));
        layers.Add(new LayerDescriptor(28, 5, "GlobalAveragePool2D", 0, 0) { OutputBytes = 768 * 4, OutputType = ElementType.Float32, Macs = 37632 });
        layers.Add(SyntheticModel.Cpu(29, 11, "Quantize", 768, ElementType.UInt8));
        layers.Add(SyntheticModel.Cpu(30, 10241, "K210AddPadding", 768, ElementType.UInt8));
        layers.Add(WithMainOutput(new LayerDescriptor(31, 10240, "K210Conv", 0, 0) { Kpu = convs[27].Kpu, OutputBytes = convs[27].OutputBytes }));
        layers.Add(SyntheticModel.Cpu(32, 10242, "K210RemovePadding", 1000, ElementType.UInt8));
        layers.Add(SyntheticModel.Cpu(33, 12, "Dequantize", 1000 * 4));
        layers.Add(SyntheticModel.Cpu(34, 15, "Softmax", 1000 * 4));
        LatencyEstimate e = LatencyEstimator.Estimate(SyntheticModel.Build(layers));
        Print(e);

        // Published 37 ms (Sipeed BBS 1790) and 40 ms (BBS 1811): within the stated ±15 % of that range.
        Assert.InRange(e.ModelMilliseconds, 37 * 0.85, 40 * 1.15);
        Assert.InRange(e.TotalMacs / 1e6, 530, 555); // 542.3 MMAC (k210-timing §5)
    }

    [SharedFact]
    public void FaceFromManifest_WithinTwoPercentOfPublished()
    {
        List<LayerDescriptor> layers = KpuLayers("maixpy_face_yolo2_v3.kmodel");
        layers[^1] = WithMainOutput(layers[^1]);
        layers.Add(SyntheticModel.Cpu(23, 12, "Dequantize", 9000 * 4));
        LatencyEstimate e = LatencyEstimator.Estimate(SyntheticModel.Build(layers));
        Print(e);
        Assert.InRange(e.ModelMilliseconds, 12.732 * 0.98, 12.732 * 1.02); // kendryte/nncase#77
    }
}
