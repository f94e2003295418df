using BenchmarkDotNet.Attributes;
using K210Kpu.Hardware;
using K210Kpu.Kernels;

namespace K210Kpu.Benchmarks;

/// <summary>
/// One KPU convolution layer (conv + batch-norm + activation + pool + write-back) of real K210 shapes: the scalar
/// specification as the baseline, the fast path on 1 and 2 threads.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private KpuConvLayer _layer = null!;
    private KpuRam _ram = null!;
    private byte[] _output = [];
    private static readonly RunOptions Scalar = new() { ForceScalar = true };
    private static readonly RunOptions OneThread = new() { Threads = 1 };
    private static readonly RunOptions TwoThreads = new() { Threads = 2 };

    /// <summary>Shape: name, input WxHxC, output channels, kernel, depthwise, pool.</summary>
    [Params(
        "face0 3x3 320x240 3->16 pool1",
        "dw3x3 80x60 64",
        "1x1 80x60 32->64",
        "1x1 20x15 256->256",
        "1x1 10x7 512->1024",
        "3x3 40x30 64->64",
        "3x3 20x15 128->128")]
    public string Shape { get; set; } = string.Empty;

    /// <summary>Multiply-accumulates of the layer (for GMAC/s: MACs / mean time).</summary>
    public long Macs => _layer.Macs;

    [GlobalSetup]
    public void Setup()
    {
        (int w, int h, int ic, int oc, int kernel, bool dw, int pool) = Shape switch
        {
            "face0 3x3 320x240 3->16 pool1" => (320, 240, 3, 16, 1, false, 1),
            "dw3x3 80x60 64" => (80, 60, 64, 64, 1, true, 0),
            "1x1 80x60 32->64" => (80, 60, 32, 64, 0, false, 0),
            "1x1 20x15 256->256" => (20, 15, 256, 256, 0, false, 0),
            "1x1 10x7 512->1024" => (10, 7, 512, 1024, 0, false, 0),
            "3x3 40x30 64->64" => (40, 30, 64, 64, 1, false, 0),
            _ => (20, 15, 128, 128, 1, false, 0),
        };
        _layer = SyntheticLayer.Create(w, h, ic, oc, kernel, dw, pool, seed: 1);
        _ram = new KpuRam();
        new Random(2).NextBytes(_ram.Data);
        _output = new byte[_layer.OutputBytes];
    }

    [Benchmark(Baseline = true)]
    public void ScalarSpecification() => KpuConv.Run(_layer, _ram, _output, Scalar);

    [Benchmark]
    public void FastOneThread() => KpuConv.Run(_layer, _ram, _output, OneThread);

    [Benchmark]
    public void FastTwoThreads() => KpuConv.Run(_layer, _ram, _output, TwoThreads);
}
