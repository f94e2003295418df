using K210Kpu.Analysis;

namespace K210Kpu.Tests.Analysis;

public class LatencyEstimatorTests
{
    // The Sipeed yolov2 face model, layer by layer, with the KPU_DEBUG times of kendryte/nncase#77 (k210-timing §1.1, ms at 400/400 MHz).
    private static readonly (int W, int H, int Ic, int Oc, int K, bool Dw, int Pool, bool MainOut, double Ms)[] Face =
    [
        (320, 240, 3, 16, 3, false, 1, false, 0.206),
        (160, 120, 16, 16, 3, true, 0, false, 0.039),
        (160, 120, 16, 32, 1, false, 1, false, 0.514),
        (80, 60, 32, 32, 3, true, 0, false, 0.029),
        (80, 60, 32, 64, 1, false, 0, false, 0.680),
        (80, 60, 64, 64, 3, true, 0, false, 0.053),
        (80, 60, 64, 64, 1, false, 1, false, 1.328),
        (40, 30, 64, 64, 3, true, 0, false, 0.020),
        (40, 30, 64, 128, 1, false, 0, false, 0.704),
        (40, 30, 128, 128, 3, true, 0, false, 0.034),
        (40, 30, 128, 128, 1, false, 1, false, 1.385),
        (20, 15, 128, 128, 3, true, 0, false, 0.016),
        (20, 15, 128, 256, 1, false, 0, false, 0.781),
        (20, 15, 256, 256, 3, true, 0, false, 0.0255),
        (20, 15, 256, 256, 1, false, 0, false, 1.5215),
        (20, 15, 256, 256, 3, true, 0, false, 0.0255),
        (20, 15, 256, 256, 1, false, 0, false, 1.5215),
        (20, 15, 256, 256, 3, true, 0, false, 0.0255),
        (20, 15, 256, 256, 1, false, 0, false, 1.5215),
        (20, 15, 256, 256, 3, true, 0, false, 0.0255),
        (20, 15, 256, 256, 1, false, 0, false, 1.5215),
        (20, 15, 256, 256, 3, true, 0, false, 0.0255),
        (20, 15, 256, 30, 1, false, 0, true, 0.326),
    ];

    private static KModel FaceModel()
    {
        var layers = new List<LayerDescriptor>();
        for (int i = 0; i < Face.Length; i++)
        {
            var f = Face[i];
            layers.Add(SyntheticModel.Conv(i, f.W, f.H, f.Ic, f.Oc, f.K, f.Dw, f.Pool, f.MainOut));
        }

        layers.Add(SyntheticModel.Cpu(Face.Length, 12, "Dequantize", 9000 * 4));
        return SyntheticModel.Build(layers);
    }

    [Fact]
    public void Estimate_FaceLayers_PointwiseWithin3PercentOfMeasured()
    {
        LatencyEstimate e = LatencyEstimator.Estimate(FaceModel());
        for (int i = 0; i < Face.Length; i++)
        {
            if (Face[i].K == 1)
            {
                double err = (e.Layers[i].Milliseconds - Face[i].Ms) / Face[i].Ms;
                Assert.True(Math.Abs(err) <= 0.03, $"layer {i}: estimated {e.Layers[i].Milliseconds:0.000} ms, measured {Face[i].Ms} ms ({err:P1})");
            }
        }
    }

    [Fact]
    public void Estimate_FaceLayers_DepthwiseWithin20Microseconds()
    {
        LatencyEstimate e = LatencyEstimator.Estimate(FaceModel());
        for (int i = 0; i < Face.Length; i++)
        {
            if (Face[i].Dw)
            {
                double diff = e.Layers[i].Milliseconds - Face[i].Ms;
                Assert.True(Math.Abs(diff) <= 0.020, $"layer {i}: estimated {e.Layers[i].Milliseconds:0.000} ms, measured {Face[i].Ms} ms");
            }
        }
    }

    [Fact]
    public void Estimate_FaceModel_TotalsMatchPublishedFigures()
    {
        LatencyEstimate e = LatencyEstimator.Estimate(FaceModel());

        // Published: KPU 12.328 ms (with the output DMA), dequantize 0.404 ms, model 12.732 ms (kendryte/nncase#77).
        Assert.InRange(e.KpuMilliseconds + e.OutputDmaMilliseconds, 12.328 * 0.98, 12.328 * 1.02);
        Assert.InRange(e.CpuMilliseconds, 0.404 * 0.98, 0.404 * 1.02);
        Assert.InRange(e.ModelMilliseconds, 12.732 * 0.98, 12.732 * 1.02);
        Assert.True(e.Layers[^1].Calibrated);
        Assert.Equal(Face.Length + 1, e.Layers.Count);
        Assert.Equal(ExecutionUnit.Cpu, e.Layers[^1].Unit);

        // Input upload: 320×240×3 by DMA, 0.33 ms (nncase#95).
        Assert.InRange(e.InputUploadMilliseconds, 0.32, 0.34);
    }

    [Fact]
    public void Estimate_FaceModel_MacsMatchSpecTotal()
    {
        LatencyEstimate e = LatencyEstimator.Estimate(FaceModel());
        Assert.InRange(e.TotalMacs / 1e6, 205.0, 206.2); // 205.6 MMAC (k210-timing §1.1)
        Assert.Equal(9L * 3 * 16 * 320 * 240, e.Layers[0].Macs);
    }

    // Sipeed BBS topic 691: one 3×3 conv, 128→128, 16-bit weights, KPU at 300 MHz.
    [Theory]
    [InlineData(4, 4, 0.339, 0.10)]
    [InlineData(16, 4, 0.339, 0.10)]
    [InlineData(16, 16, 0.417, 0.30)]
    [InlineData(32, 16, 0.692, 0.10)]
    [InlineData(32, 32, 1.138, 0.10)]
    [InlineData(64, 32, 2.125, 0.10)]
    [InlineData(64, 64, 3.891, 0.10)]
    [InlineData(128, 64, 7.709, 0.10)]
    [InlineData(128, 128, 14.778, 0.10)]
    [InlineData(256, 256, 57.756, 0.10)]
    public void Estimate_Bbs691SingleLayer_WithinStatedError(int w, int h, double measuredMs, double tolerance)
    {
        KModel m = SyntheticModel.Build([SyntheticModel.Conv(0, w, h, 128, 128, 3)], eightBit: false);
        LatencyEstimate e = LatencyEstimator.Estimate(m, new LatencyOptions { KpuClockMHz = 300, CpuClockMHz = 500 });
        double err = (e.Layers[0].Milliseconds - measuredMs) / measuredMs;
        Assert.True(Math.Abs(err) <= tolerance, $"{w}×{h}: estimated {e.Layers[0].Milliseconds:0.000} ms, measured {measuredMs} ms ({err:P1})");
        Assert.Equal(9L * 128 * 128 * 2, e.Layers[0].WeightBytes);
    }

    [Fact]
    public void Estimate_LowerKpuClock_ScalesTheCycleTermsOnly()
    {
        KModel m = SyntheticModel.Build([SyntheticModel.Conv(0, 64, 64, 64, 64, 1)]);
        LayerLatency at400 = LatencyEstimator.Estimate(m).Layers[0];
        LayerLatency at200 = LatencyEstimator.Estimate(m, new LatencyOptions { KpuClockMHz = 200 }).Layers[0];
        Assert.Equal(at400.FixedMilliseconds, at200.FixedMilliseconds);
        Assert.Equal(2 * at400.LineMilliseconds, at200.LineMilliseconds, 9);
        Assert.Equal(2 * at400.WeightMilliseconds, at200.WeightMilliseconds, 9);
    }

    [Fact]
    public void Estimate_LineCounts_FollowTheKpuRamLayout()
    {
        KModel m = SyntheticModel.Build(
        [
            SyntheticModel.Conv(0, 20, 15, 256, 30, 1),         // 2 channels per line: 128 blocks × 15 rows × 30 output channels
            SyntheticModel.Conv(1, 160, 120, 16, 16, 3, true),  // depthwise: 16 channels × 3 lines per row × 120 rows, streamed once
            SyntheticModel.Conv(2, 8, 8, 3, 8, 3),              // 4 channels per line: 1 block × 8 rows × 8 output channels
        ]);
        LatencyEstimate e = LatencyEstimator.Estimate(m);
        Assert.Equal(30L * 128 * 15, e.Layers[0].Lines);
        Assert.Equal(16L * 3 * 120, e.Layers[1].Lines);
        Assert.Equal(16L, e.Layers[1].WeightPairs);
        Assert.Equal(8L * 8, e.Layers[2].Lines);
        Assert.Equal(0.625, e.Layers[0].LineFill, 6);
    }

    [Theory]
    [InlineData(20, 0.625)]
    [InlineData(10, 0.625)]
    [InlineData(160, 0.8333333)]
    [InlineData(224, 0.875)]
    [InlineData(64, 1.0)]
    public void LineFill_MatchesSpecExamples(int width, double expected) =>
        Assert.Equal(expected, LatencyEstimator.LineFill(width), 6);

    [Fact]
    public void Estimate_CpuLayers_UseElementsAtCpuClock()
    {
        KModel m = SyntheticModel.Build([SyntheticModel.Conv(0, 64, 64, 3, 8, 3), SyntheticModel.Cpu(1, 15, "Softmax", 1000 * 4)]);
        LayerLatency softmax = LatencyEstimator.Estimate(m, new LatencyOptions { CpuClockMHz = 200 }).Layers[1];
        Assert.Equal(1000, softmax.CpuElements);
        Assert.Equal(1000 * 18 / 200e6 * 1e3, softmax.Milliseconds, 9);
        Assert.False(softmax.Calibrated);
        Assert.Contains("uncalibrated", softmax.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_V4MainMemoryOutput_IsMarkedUncalibrated()
    {
        KModel m = SyntheticModel.Build([SyntheticModel.Conv(0, 64, 64, 3, 8, 3, mainOut: true, opCode: 0x2002, name: "KPUConv2D")], KModelFormat.V4);
        LatencyEstimate e = LatencyEstimator.Estimate(m);
        Assert.False(e.Layers[0].Calibrated);
        Assert.Contains(e.Notes, n => n.Contains("V4", StringComparison.Ordinal));
        Assert.True(e.Layers[0].OutputDmaMilliseconds > 0);
    }

    [Fact]
    public void Estimate_V4KpuUpload_UsesTheMeasuredUploadRate()
    {
        KModel m = SyntheticModel.Build(
            [new LayerDescriptor(0, 0x2001, "KPUUpload", 0, 0) { OutputBytes = 320 * 240 * 3, OutputMemory = MemoryKind.Kpu }, SyntheticModel.Conv(1, 320, 240, 3, 16, 3, pool: 1, opCode: 0x2002, name: "KPUConv2D")],
            KModelFormat.V4);
        LatencyEstimate e = LatencyEstimator.Estimate(m);

        // "DMA upload took 329 us" for 320×240×3 (nncase#95).
        Assert.InRange(e.Layers[0].Milliseconds, 0.328, 0.330);
        Assert.True(e.Layers[0].Calibrated);
        Assert.Equal(0, e.InputUploadMilliseconds); // counted once, as the kpu_upload node
    }

    [Theory]
    [InlineData(0, 400)]
    [InlineData(400, 25)]
    [InlineData(601, 400)]
    [InlineData(double.NaN, 400)]
    public void Estimate_ClockOutOfRange_Throws(double kpu, double cpu)
    {
        KModel m = SyntheticModel.Build([SyntheticModel.Conv(0, 64, 64, 3, 8, 3)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyEstimator.Estimate(m, new LatencyOptions { KpuClockMHz = kpu, CpuClockMHz = cpu }));
    }

    [Fact]
    public void Estimate_RangeIsPlusMinus15Percent()
    {
        LatencyEstimate e = LatencyEstimator.Estimate(FaceModel());
        Assert.Equal(0.15, e.RelativeError);
        Assert.Equal(e.ModelMilliseconds * 0.85, e.LowMilliseconds, 9);
        Assert.Equal(e.ModelMilliseconds * 1.15, e.HighMilliseconds, 9);
    }

    [RealModelFact("maixpy_face_yolo2_v3")]
    public void Estimate_RealFaceModel_WithinStatedErrorOfPublished()
    {
        KModel m = KModel.Load(TestFiles.Model("maixpy_face_yolo2_v3")!);
        LatencyEstimate e = LatencyEstimator.Estimate(m);

        // 12.732 ms per-layer sum at 400 MHz (kendryte/nncase#77); the estimate must be within its stated ±15 %.
        Assert.InRange(e.ModelMilliseconds, 12.732 * 0.85, 12.732 * 1.15);
        Assert.Equal(24, e.Layers.Count);
        for (int i = 0; i < Face.Length; i++)
        {
            if (Face[i].K == 1)
            {
                double err = (e.Layers[i].Milliseconds - Face[i].Ms) / Face[i].Ms;
                Assert.True(Math.Abs(err) <= 0.05, $"layer {i}: estimated {e.Layers[i].Milliseconds:0.000} ms, measured {Face[i].Ms} ms ({err:P1})");
            }
        }
    }

    [RealModelFact("maixpy_mbnet75_imagenet_v3")]
    public void Estimate_RealMbnet75_WithinStatedErrorOfPublished()
    {
        KModel m = KModel.Load(TestFiles.Model("maixpy_mbnet75_imagenet_v3")!);
        LatencyEstimate e = LatencyEstimator.Estimate(m);

        // Published: 37 ms (Sipeed BBS 1790) and 40 ms (BBS 1811); the estimate (39.4 ms in k210-timing §5) must be within ±15 % of that range.
        Assert.InRange(e.ModelMilliseconds, 37 * 0.85, 40 * 1.15);
        Assert.Equal(35, e.Layers.Count);
        Assert.InRange(e.TotalMacs / 1e6, 530, 555); // 542.3 MMAC (k210-timing §5)
    }
}
