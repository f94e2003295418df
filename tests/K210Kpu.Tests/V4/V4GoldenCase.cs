using System.Text.Json;

namespace K210Kpu.Tests.V4;

/// <summary>One golden case of a V4 model under ../shared/golden/&lt;model&gt;/&lt;case&gt;/.</summary>
public sealed class V4GoldenCase
{
    /// <summary>A case of the shared corpus.</summary>
    public V4GoldenCase(string model, string name)
        : this(model, name, Path.Combine(TestFiles.SharedGolden ?? throw new InvalidOperationException(TestFiles.SharedMissing), model, name), TestFiles.SharedModel(model))
    {
    }

    public V4GoldenCase(string model, string name, string dir, string modelPath)
    {
        Model = model;
        Name = name;
        Dir = dir;
        ModelPath = modelPath;
        using JsonDocument meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Dir, "meta.json")));
        JsonElement nodes = meta.RootElement.GetProperty("oracle_meta").GetProperty("nodes");
        NodeFiles = [.. nodes.EnumerateArray().Select(n => n.TryGetProperty("file", out JsonElement f) ? f.GetString() ?? string.Empty : string.Empty)];
        NodeNames = [.. nodes.EnumerateArray().Select(n => n.GetProperty("name").GetString() ?? string.Empty)];
        OutputCount = meta.RootElement.GetProperty("outputs").GetArrayLength();
        HasNodes = Directory.Exists(Path.Combine(Dir, "nodes"));
    }

    public string Model { get; }

    public string Name { get; }

    public string Dir { get; }

    public string ModelPath { get; }

    /// <summary>A vendored case (tests/Data).</summary>
    public static V4GoldenCase Vendored(string model, string name) =>
        new(model, name, Path.Combine(TestFiles.VendoredGolden, model, name), Path.Combine(TestFiles.DataDir, "models", model + ".kmodel"));

    public static bool IsV4(string model) => model.EndsWith("_v4", StringComparison.Ordinal);

    /// <summary>(model, case) pairs of V4 golden cases under <paramref name="root"/>; a placeholder when there are none (the theory is then skipped or vacuous).</summary>
    public static TheoryData<string, string> Cases(string? root, bool withNodesOnly = false)
    {
        var data = new TheoryData<string, string>();
        foreach ((string model, string name, string dir) in TestFiles.Cases(root, IsV4))
        {
            if (!withNodesOnly || Directory.Exists(Path.Combine(dir, "nodes")))
            {
                data.Add(model, name);
            }
        }

        if (data.Count == 0)
        {
            data.Add("none", "none");
        }

        return data;
    }

    public string[] NodeFiles { get; }

    public string[] NodeNames { get; }

    public int OutputCount { get; }

    public bool HasNodes { get; }

    public byte[] Input => File.ReadAllBytes(Path.Combine(Dir, "input.bin"));

    public byte[] Output(int i) => File.ReadAllBytes(Path.Combine(Dir, $"output_{i}.bin"));

    /// <summary>devlike/output_i.bin when present (it differs from the reference), else output_i.bin.</summary>
    public byte[] DeviceOutput(int i)
    {
        string p = Path.Combine(Dir, "devlike", $"output_{i}.bin");
        return File.Exists(p) ? File.ReadAllBytes(p) : Output(i);
    }

    public override string ToString() => $"{Model}/{Name}";
}
