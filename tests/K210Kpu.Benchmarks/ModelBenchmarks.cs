using BenchmarkDotNet.Attributes;

namespace K210Kpu.Benchmarks;

/// <summary>Whole models, one frame per operation: the scalar specification as the baseline, the fast path on 1 and 2 threads.</summary>
[MemoryDiagnoser]
public class ModelBenchmarks
{
    private Interpreter _scalar = null!;
    private Interpreter _one = null!;
    private Interpreter _two = null!;

    [Params("maixpy_face_yolo2_v3", "sdk_voc20_yolo2_v3", "maixpy_mbnet75_imagenet_v3", "nncase_ulffd_ultra_face_v4", "nncase_voc20_yolo2_v4")]
    public string Model { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        string path = BenchFiles.Model(Model) ?? throw new FileNotFoundException($"model {Model} not found (set K210KPU_SHARED)");
        KModel model = KModel.Load(path);
        byte[] input = new byte[model.Inputs[0].ByteSize];
        new Random(3).NextBytes(input);
        _scalar = Create(model, new RunOptions { ForceScalar = true }, input);
        _one = Create(model, new RunOptions { Threads = 1 }, input);
        _two = Create(model, new RunOptions { Threads = 2 }, input);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scalar.Dispose();
        _one.Dispose();
        _two.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void ScalarSpecification() => _scalar.Run();

    [Benchmark]
    public void FastOneThread() => _one.Run();

    [Benchmark]
    public void FastTwoThreads() => _two.Run();

    private static Interpreter Create(KModel model, RunOptions options, byte[] input)
    {
        var interp = new Interpreter(model, options);
        if (model.Inputs[0].ElementType == ElementType.Float32)
        {
            Span<float> f = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(input.AsSpan());
            for (int i = 0; i < f.Length; i++)
            {
                f[i] = (i % 17) / 17f;
            }
        }

        interp.SetInput(0, input);
        return interp;
    }
}
