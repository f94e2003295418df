using System.Text.Json;

namespace K210Kpu.Tests.V4;

/// <summary>Every node's <see cref="LayerDescriptor"/> against the oracle's description in the golden meta.json.</summary>
public class V4DescriptorTests
{
    public static TheoryData<string, string> SharedCases() => V4GoldenCase.Cases(TestFiles.SharedGolden, withNodesOnly: true);

    [SharedTheory]
    [MemberData(nameof(SharedCases))]
    public void Layers_MatchOracleNodeDescriptions(string model, string name)
    {
        var c = new V4GoldenCase(model, name);
        KModel m = KModel.Load(c.ModelPath);
        using JsonDocument meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(c.Dir, "meta.json")));
        JsonElement om = meta.RootElement.GetProperty("oracle_meta");
        JsonElement[] nodes = [.. om.GetProperty("nodes").EnumerateArray()];
        Assert.Equal(nodes.Length, m.Layers.Count);
        Assert.Equal(om.GetProperty("header").GetProperty("main_mem").GetInt64(), m.MainMemoryBytes);
        for (int i = 0; i < nodes.Length; i++)
        {
            JsonElement n = nodes[i];
            LayerDescriptor l = m.Layers[i];
            string at = $"{c} node {i}";
            Assert.True(n.GetProperty("name").GetString() == l.Name, $"{at}: name {l.Name}");
            Assert.True(n.GetProperty("opcode").GetUInt32() == l.OpCode, $"{at}: opcode");
            Assert.True(n.GetProperty("body_size").GetInt32() == l.BodySize, $"{at}: body_size");
            Assert.True(n.GetProperty("bytes").GetInt32() == l.OutputBytes, $"{at}: bytes {l.OutputBytes}");
            if (n.TryGetProperty("shape", out JsonElement shape))
            {
                Assert.True(l.OutputShape is not null && shape.EnumerateArray().Select(x => x.GetInt32()).SequenceEqual(l.OutputShape), $"{at}: shape");
            }

            if (n.TryGetProperty("kpu", out JsonElement kpu))
            {
                KpuLayerInfo k = l.Kpu ?? throw new Xunit.Sdk.XunitException($"{at}: no KPU info");
                Assert.Equal(kpu.GetProperty("depthwise").GetInt32() != 0, k.Depthwise);
                Assert.Equal(kpu.GetProperty("kernel_type").GetInt32(), k.KernelType);
                Assert.Equal(kpu.GetProperty("pool_type").GetInt32(), k.PoolType);
                Assert.Equal(kpu.GetProperty("src_addr").GetInt32(), k.SourceRow);
                Assert.Equal(kpu.GetProperty("dst_addr").GetInt32(), k.DestinationRow);
                int[] inShape = [.. kpu.GetProperty("in").EnumerateArray().Select(x => x.GetInt32())];
                Assert.Equal(inShape[1..], new[] { k.InputChannels, k.InputHeight, k.InputWidth });
                Assert.Equal(kpu.GetProperty("main_mem_output").GetProperty("size").GetInt32() != 0, k.MainMemoryOutput);
                Assert.Equal(MemoryKind.Kpu, l.OutputMemory);
                Assert.Equal((long)k.DestinationRow * 64, l.OutputStart);
                Assert.True(l.Macs > 0);
            }
            else if (l.Name != "KPUUpload")
            {
                JsonElement o = n.GetProperty("output");
                Assert.Equal(o.GetProperty("start").GetInt64(), l.OutputStart);
                Assert.Equal(o.GetProperty("size").GetInt32(), l.OutputBytes);
                Assert.Equal(o.GetProperty("datatype").GetString() == "float32" ? ElementType.Float32 : ElementType.UInt8, l.OutputType);
                Assert.Equal(o.GetProperty("memory_type").GetString() switch { "main" => MemoryKind.Main, "const" => MemoryKind.Constant, _ => MemoryKind.Kpu }, l.OutputMemory);
            }
        }
    }
}
