using System.Runtime.InteropServices;

namespace K210Kpu.Tests.V4;

public class V4GoldenTests
{
    /// <summary>The V4 golden cases without KPU nodes.</summary>
    public static TheoryData<string, string> CpuCases => new()
    {
        { "nncase_iris_v4", "fixed_iris_setosa" },
        { "nncase_iris_v4", "fixed_iris_readme" },
    };

    /// <summary>The V4 golden cases with KPU nodes.</summary>
    public static TheoryData<string, string> KpuCases => new()
    {
        { "canmv_face_detect_320x240_v4", "astronaut" },
        { "canmv_face_detect_320x240_v4", "image" },
        { "canmv_mnist_112_v4", "image" },
        { "canmv_mobilenet025_features_v4", "image" },
        { "maixpy_asr_v4", "ramp" },
        { "nncase_ulffd_landmark_v4", "image" },
        { "nncase_ulffd_ultra_face_v4", "image" },
        { "nncase_voc20_yolo2_v4", "image" },
    };

    [SharedTheory]
    [MemberData(nameof(CpuCases))]
    public void Run_ReferenceMode_CpuModel_MatchesGoldenByteForByte(string model, string name) => ReferenceMode(model, name);

    [KpuTheory]
    [MemberData(nameof(KpuCases))]
    public void Run_ReferenceMode_KpuModel_MatchesGoldenByteForByte(string model, string name) => ReferenceMode(model, name);

    [SharedTheory]
    [MemberData(nameof(CpuCases))]
    public void Run_CpuModel_EveryNode_MatchesGoldenNodeDumps(string model, string name) => EveryNode(model, name);

    [KpuTheory]
    [MemberData(nameof(KpuCases))]
    public void Run_KpuModel_EveryNode_MatchesGoldenNodeDumps(string model, string name) => EveryNode(model, name);

    [SharedTheory]
    [MemberData(nameof(CpuCases))]
    public void Run_DeviceMode_CpuModel_MatchesDevlikeGolden(string model, string name) => DeviceMode(model, name);

    [KpuTheory]
    [MemberData(nameof(KpuCases))]
    public void Run_DeviceMode_KpuModel_MatchesDevlikeGolden(string model, string name) => DeviceMode(model, name);

    private static void ReferenceMode(string model, string name)
    {
        var c = new V4GoldenCase(model, name);
        using var interp = new Interpreter(KModel.Load(c.ModelPath));
        interp.SetInput(0, c.Input);
        interp.Run();
        for (int i = 0; i < c.OutputCount; i++)
        {
            AssertBytes.Equal(c.Output(i), interp.GetOutput(i).ToArray(), $"{c} output {i}");
        }
    }

    private static void EveryNode(string model, string name)
    {
        var c = new V4GoldenCase(model, name);
        if (!c.HasNodes)
        {
            return;
        }

        KModel m = KModel.Load(c.ModelPath);
        Assert.Equal(c.NodeNames.Length, m.Layers.Count);
        using var interp = new Interpreter(m);
        interp.SetInput(0, c.Input);
        string? failure = null;
        interp.LayerCompleted = i =>
        {
            if (failure is not null)
            {
                return;
            }

            Assert.Equal(c.NodeNames[i], m.Layers[i].Name);
            Assert.EndsWith($"_{m.Layers[i].Name}.bin", c.NodeFiles[i]);
            byte[] expected = File.ReadAllBytes(Path.Combine(c.Dir, c.NodeFiles[i]));
            byte[] actual = interp.ReadLayerOutput(i);
            failure = AssertBytes.FirstDifference(expected, actual, $"{c} node {i} ({m.Layers[i].Name})");
        };
        interp.Run();
        Assert.Null(failure);
    }

    private static void DeviceMode(string model, string name)
    {
        var c = new V4GoldenCase(model, name);
        using var interp = new Interpreter(KModel.Load(c.ModelPath), new RunOptions { Mode = ArithmeticMode.Device });
        interp.SetInput(0, c.Input);
        interp.Run();
        for (int i = 0; i < c.OutputCount; i++)
        {
            byte[] expected = c.DeviceOutput(i);
            byte[] actual = interp.GetOutput(i).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            if (interp.Model.Outputs[i].ElementType != ElementType.Float32)
            {
                AssertBytes.Equal(expected, actual, $"{c} device output {i}");
                continue;
            }

            // The golden README grants float device outputs a few ulp (the device compiler's fusing is not known exactly).
            ReadOnlySpan<int> e = MemoryMarshal.Cast<byte, int>(expected);
            ReadOnlySpan<int> a = MemoryMarshal.Cast<byte, int>(actual);
            for (int k = 0; k < e.Length; k++)
            {
                long ulps = Math.Abs(Ordered(e[k]) - Ordered(a[k]));
                Assert.True(ulps <= MaxDeviceUlps, $"{c} device output {i} element {k}: expected {BitConverter.Int32BitsToSingle(e[k]):G9}, got {BitConverter.Int32BitsToSingle(a[k]):G9} ({ulps} ulp)");
            }
        }
    }

    private const int MaxDeviceUlps = 4;

    private static long Ordered(int bits) => bits < 0 ? int.MinValue - (long)bits : bits;
}
