namespace K210Kpu.Tests.Model.V3;

/// <summary>What the V3 reader reports for real models (netinfo fields, shapes, header).</summary>
public class RealModelTests
{
    [Fact]
    public void FaceModel_DescribesLayersAsNetinfoDoes()
    {
        KModel model = KModel.Load(Path.Combine(TestFiles.DataDir, "models", "maixpy_face_yolo2_v3.kmodel"));
        Assert.Equal(KModelFormat.V3, model.Format);
        Assert.Equal(24, model.Layers.Count);
        Assert.Equal(45000, model.MainMemoryBytes);
        Assert.Contains(model.Header, h => h.Key == "main_mem_usage" && h.Value == "45000");
        Assert.Contains(model.Header, h => h.Key == "max_start_address" && h.Value == "17408");
        KpuLayerInfo l0 = model.Layers[0].Kpu!;
        Assert.Equal((320, 240, 160, 120, 3, 16, 1, 1, 432), (l0.InputWidth, l0.InputHeight, l0.OutputWidth, l0.OutputHeight, l0.InputChannels, l0.OutputChannels, l0.KernelType, l0.PoolType, l0.ParaSize));
        Assert.True(model.Layers[1].Kpu!.Depthwise);
        KpuLayerInfo l22 = model.Layers[22].Kpu!;
        Assert.Equal((20, 15, 256, 30, 7680, true), (l22.InputWidth, l22.InputHeight, l22.InputChannels, l22.OutputChannels, l22.ParaSize, l22.MainMemoryOutput));
        LayerDescriptor dq = model.Layers[23];
        Assert.Equal(("Dequantize", 12u, 24), (dq.Name, dq.OpCode, dq.BodySize));
        Assert.Null(dq.Kpu);
        Assert.Equal(new[] { 1, 30, 15, 20 }, dq.OutputShape);
        Assert.Equal((ElementType.Float32, 9000L, 36000), (dq.OutputType, dq.OutputStart, dq.OutputBytes));
        Assert.Equal(new[] { 1, 3, 240, 320 }, model.Inputs[0].Shape);
        Assert.Equal((ElementType.Float32, 36000, 9000L), (model.Outputs[0].ElementType, model.Outputs[0].ByteSize, model.Outputs[0].Start));
        Assert.Equal(new[] { 1, 30, 15, 20 }, model.Outputs[0].Shape);
        Assert.Equal((32768 - 17408) * 64L, model.KpuRamBytes);
        Assert.True(model.TotalMacs > 100_000_000);
    }

    [SharedTheory]
    [InlineData("canmv_head_yolo2_320x256_v3")]   // 8 trailing bytes
    [InlineData("nncase_voc20_yolo2_v3")]         // last body declared 4 bytes past the end; ends in CHANNELWISE_DEQUANTIZE
    [InlineData("canmv_face_attribute_v3")]
    [InlineData("maixpy_fans_mask_yolo2_v3")]     // QUANTIZED_MAX_POOL2D and K210_UPLOAD
    public void SharedModelsWithoutGoldens_LoadAndRun(string stem)
    {
        KModel model = KModel.Load(TestFiles.SharedModel(stem));
        using var it = new Interpreter(model);
        var input = new byte[model.Inputs[0].ByteSize];
        new Random(1).NextBytes(input);
        it.SetInput(0, input);
        it.Run();
        float[] output = it.GetOutputAsFloats(0);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
    }
}
