namespace K210Kpu.Tests.V4;

public class V4ModelLoadTests
{
    public static TheoryData<string, int> Models => new()
    {
        { "nncase_iris_v4", 4 },
        { "canmv_face_detect_320x240_v4", 33 },
        { "canmv_face_feature_64_v4", 80 },
        { "canmv_mnist_112_v4", 13 },
        { "canmv_mobilenet025_features_v4", 35 },
        { "corgidude_garbage_classifier_v4", 40 },
        { "lenet_mnist32_v4", 26 },
        { "maixpy_asr_v4", 11 },
        { "nncase_ulffd_landmark_v4", 99 },
        { "nncase_ulffd_slim320_v4", 73 },
        { "nncase_ulffd_ultra_face_v4", 101 },
        { "nncase_voc20_yolo2_v4", 17 },
    };

    [SharedTheory]
    [MemberData(nameof(Models))]
    public void Load_RealModel_ReadsEveryNode(string model, int nodes)
    {
        KModel m = KModel.Load(TestFiles.SharedModel(model));
        Assert.Equal(KModelFormat.V4, m.Format);
        Assert.Equal(4, m.Version);
        Assert.Equal(nodes, m.Layers.Count);
        Assert.InRange(m.KpuRamBytes, 0, 2 * 1024 * 1024);
        Assert.All(m.Layers, l => Assert.NotEqual("unknown", l.Name));
        Assert.All(m.Layers, l => Assert.False(string.IsNullOrEmpty(l.Details)));
        Assert.All(m.Layers.Where(l => l.Name == "KPUConv2D"), l => Assert.NotNull(l.Kpu));
        Assert.Contains(m.Header, kv => kv.Key == "main_mem");
        using var interp = new Interpreter(m);
        Assert.Equal(m.Inputs[0].ByteSize, m.Inputs[0].Shape.Aggregate(1, (a, b) => a * b) * (m.Inputs[0].ElementType == ElementType.Float32 ? 4 : 1));
    }

    [SharedFact]
    public void Load_Slim320_ToleratesMissingPaddingAfterLastBody()
    {
        byte[] file = File.ReadAllBytes(TestFiles.SharedModel("nncase_ulffd_slim320_v4"));
        KModel m = KModel.Load(file);
        LayerDescriptor last = m.Layers[^1];
        Assert.True(last.BodyOffset + last.BodySize > file.Length);
    }

    [SharedFact]
    public void Load_Asr_IgnoresTrailingData()
    {
        byte[] file = File.ReadAllBytes(TestFiles.SharedModel("maixpy_asr_v4"));
        KModel m = KModel.Load(file);
        LayerDescriptor last = m.Layers[^1];
        Assert.Equal(797632, last.BodyOffset + last.BodySize);
        Assert.True(file.Length > 797632 + 900_000);
    }
}
