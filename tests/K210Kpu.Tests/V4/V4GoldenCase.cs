using System.Text.Json;

namespace K210Kpu.Tests.V4;

/// <summary>One golden case of a V4 model under ../shared/golden/&lt;model&gt;/&lt;case&gt;/.</summary>
public sealed class V4GoldenCase
{
    public V4GoldenCase(string model, string name)
    {
        Model = model;
        Name = name;
        Dir = TestFiles.Shared("golden", model, name);
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

    public string ModelPath => TestFiles.Shared("models", Model + ".kmodel");

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
