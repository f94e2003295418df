namespace K210Kpu.Tests.Golden;

/// <summary>Every V3 and legacy golden case: outputs byte-exact in reference mode, within the README rule in device mode, every layer dump equal.</summary>
public class GoldenTests
{
    public static TheoryData<string, string> VendoredCases()
    {
        var data = new TheoryData<string, string>();
        foreach ((string model, string name, _) in TestFiles.Cases(TestFiles.VendoredGolden, GoldenCase.IsV3OrLegacy))
        {
            data.Add(model, name);
        }

        return data;
    }

    public static TheoryData<string, string> SharedCases()
    {
        var data = new TheoryData<string, string>();
        foreach ((string model, string name, _) in TestFiles.Cases(TestFiles.SharedGolden, GoldenCase.IsV3OrLegacy))
        {
            data.Add(model, name);
        }

        if (data.Count == 0)
        {
            data.Add("none", "none"); // only reached when the theory is skipped
        }

        return data;
    }

    public static TheoryData<string, string> SharedNodeCases()
    {
        var data = new TheoryData<string, string>();
        foreach ((string model, string name, string dir) in TestFiles.Cases(TestFiles.SharedGolden, GoldenCase.IsV3OrLegacy))
        {
            if (Directory.Exists(Path.Combine(dir, "nodes")))
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

    private static string Vendored(string model, string name) => Path.Combine(TestFiles.VendoredGolden, model, name);

    private static string Shared(string model, string name) => Path.Combine(TestFiles.SharedGolden!, model, name);

    [Theory]
    [MemberData(nameof(VendoredCases))]
    public void Vendored_ReferenceMode_MatchesGoldenBytes(string model, string name) =>
        GoldenCase.CheckReference(Path.Combine(TestFiles.DataDir, "models", model + ".kmodel"), Vendored(model, name));

    [Theory]
    [MemberData(nameof(VendoredCases))]
    public void Vendored_DeviceMode_MatchesDevlike(string model, string name) =>
        GoldenCase.CheckDevice(Path.Combine(TestFiles.DataDir, "models", model + ".kmodel"), Vendored(model, name));

    /// <summary>
    /// Stricter than the README rule: for V3 our device mode fuses exactly the multiply-adds the devlike oracle fuses,
    /// so its float outputs are byte-equal too.
    /// </summary>
    [Theory]
    [MemberData(nameof(VendoredCases))]
    public void Vendored_DeviceMode_IsByteExactAgainstDevlike(string model, string name)
    {
        string dir = Vendored(model, name);
        KModel m = KModel.Load(Path.Combine(TestFiles.DataDir, "models", model + ".kmodel"));
        byte[][] got = GoldenCase.Run(m, dir, ArithmeticMode.Device);
        for (int i = 0; i < got.Length; i++)
        {
            string devlike = Path.Combine(dir, "devlike", $"output_{i}.bin");
            byte[] want = File.ReadAllBytes(File.Exists(devlike) ? devlike : Path.Combine(dir, $"output_{i}.bin"));
            GoldenCase.AssertBytes(want, got[i], $"output {i} (device)", m.Outputs[i].ElementType, m.Outputs[i].Shape);
        }
    }

    [SharedTheory]
    [MemberData(nameof(SharedCases))]
    public void Shared_ReferenceMode_MatchesGoldenBytes(string model, string name) =>
        GoldenCase.CheckReference(TestFiles.SharedModel(model), Shared(model, name));

    [SharedTheory]
    [MemberData(nameof(SharedCases))]
    public void Shared_DeviceMode_MatchesDevlike(string model, string name) =>
        GoldenCase.CheckDevice(TestFiles.SharedModel(model), Shared(model, name));

    [SharedTheory]
    [MemberData(nameof(SharedNodeCases))]
    public void Shared_EveryLayer_MatchesNodeDumps(string model, string name) =>
        GoldenCase.CheckNodes(TestFiles.SharedModel(model), Shared(model, name));
}
