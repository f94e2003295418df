using System.Runtime.InteropServices;

namespace K210Kpu.Tests.Golden;

/// <summary>Runs a model on a golden case and compares outputs and per-layer dumps (golden README rules).</summary>
internal static class GoldenCase
{
    /// <summary>Models this test suite owns: kmodel V3 and the legacy format.</summary>
    public static bool IsV3OrLegacy(string model) => model.EndsWith("_v3", StringComparison.Ordinal) || model.EndsWith("_v1", StringComparison.Ordinal);

    public static byte[][] Run(KModel model, string caseDir, ArithmeticMode mode, Action<Interpreter, int>? layerCompleted = null)
    {
        using var interpreter = new Interpreter(model, new RunOptions { Mode = mode });
        if (layerCompleted is not null)
        {
            interpreter.LayerCompleted = i => layerCompleted(interpreter, i);
        }

        interpreter.SetInput(0, File.ReadAllBytes(Path.Combine(caseDir, "input.bin")));
        interpreter.Run();
        var outputs = new byte[model.Outputs.Count][];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = interpreter.GetOutput(i).ToArray();
        }

        return outputs;
    }

    /// <summary>Reference mode: every output byte-equal to output_i.bin.</summary>
    public static void CheckReference(string modelPath, string caseDir)
    {
        KModel model = KModel.Load(modelPath);
        byte[][] got = Run(model, caseDir, ArithmeticMode.Reference);
        for (int i = 0; i < got.Length; i++)
        {
            byte[] want = File.ReadAllBytes(Path.Combine(caseDir, $"output_{i}.bin"));
            AssertBytes(want, got[i], $"output {i}", model.Outputs[i].ElementType);
        }
    }

    /// <summary>Device mode: against devlike/output_i.bin where present (else output_i.bin); integers exact, floats within 1e-4 relative.</summary>
    public static void CheckDevice(string modelPath, string caseDir)
    {
        KModel model = KModel.Load(modelPath);
        byte[][] got = Run(model, caseDir, ArithmeticMode.Device);
        for (int i = 0; i < got.Length; i++)
        {
            string devlike = Path.Combine(caseDir, "devlike", $"output_{i}.bin");
            byte[] want = File.ReadAllBytes(File.Exists(devlike) ? devlike : Path.Combine(caseDir, $"output_{i}.bin"));
            if (model.Outputs[i].ElementType != ElementType.Float32)
            {
                AssertBytes(want, got[i], $"output {i}", model.Outputs[i].ElementType);
                continue;
            }

            Assert.Equal(want.Length, got[i].Length);
            ReadOnlySpan<float> w = MemoryMarshal.Cast<byte, float>(want);
            ReadOnlySpan<float> g = MemoryMarshal.Cast<byte, float>(got[i]);
            for (int k = 0; k < w.Length; k++)
            {
                if (!(MathF.Abs(w[k] - g[k]) <= 1e-4f * MathF.Max(1f, MathF.Abs(w[k]))))
                {
                    Assert.Fail($"output {i} element {k}: got {g[k]:R}, want {w[k]:R} (device mode, 1e-4 relative)");
                }
            }
        }
    }

    /// <summary>Compares every layer with nodes/node_kkk_Name.bin right after it ran (reference mode).</summary>
    public static void CheckNodes(string modelPath, string caseDir)
    {
        KModel model = KModel.Load(modelPath);
        string nodes = Path.Combine(caseDir, "nodes");
        int compared = 0;
        Run(model, caseDir, ArithmeticMode.Reference, (interpreter, i) =>
        {
            LayerDescriptor layer = model.Layers[i];
            string file = Path.Combine(nodes, $"node_{i:D3}_{layer.Name}.bin");
            if (!File.Exists(file))
            {
                string[] others = Directory.GetFiles(nodes, $"node_{i:D3}_*.bin");
                Assert.Fail($"layer {i}: no dump named {Path.GetFileName(file)} (the golden has {string.Join(", ", others.Select(Path.GetFileName))})");
            }

            byte[] want = File.ReadAllBytes(file);
            byte[] got = interpreter.ReadLayerOutput(i);
            AssertBytes(want, got, $"layer {i} ({layer.Name}, shape {string.Join("x", layer.OutputShape ?? [])})", layer.OutputType, layer.OutputShape);
            compared++;
        });
        Assert.True(compared == model.Layers.Count, $"{compared} of {model.Layers.Count} layers compared");
    }

    /// <summary>Byte equality; on failure names the first differing element, its channel and both values.</summary>
    public static void AssertBytes(byte[] want, byte[] got, string what, ElementType type, IReadOnlyList<int>? shape = null)
    {
        if (want.Length != got.Length)
        {
            Assert.Fail($"{what}: {got.Length} bytes, want {want.Length}");
        }

        int first = want.AsSpan().CommonPrefixLength(got);
        if (first == want.Length)
        {
            return;
        }

        int size = type == ElementType.Float32 ? 4 : 1;
        int element = first / size;
        int differing = 0;
        for (int k = 0; k < want.Length; k += size)
        {
            if (!want.AsSpan(k, size).SequenceEqual(got.AsSpan(k, size)))
            {
                differing++;
            }
        }

        string channel = shape is { Count: 4 } && shape[2] * shape[3] > 0 ? $", channel {element / (shape[2] * shape[3]) % Math.Max(1, shape[1])}" : string.Empty;
        string values = type == ElementType.Float32
            ? $"got {BitConverter.ToSingle(got, element * 4):R}, want {BitConverter.ToSingle(want, element * 4):R}"
            : $"got {got[element]}, want {want[element]}";
        Assert.Fail($"{what}: first difference at element {element}{channel}: {values}; {differing} elements differ");
    }
}
