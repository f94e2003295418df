using K210Kpu.Maix;
using K210Kpu.Runtime;

namespace K210Kpu.Tests.Maix;

/// <summary>
/// Hand-built models for the facade's tests: the layer table of MaixPy's face model (a KPU conv 320×240×3 → ... →
/// 20×15×30, then a float dequantize) with an executor that serves a fixed output 0 and a pattern per layer.
/// </summary>
internal static class FakeModels
{
    public static KModel FaceLike(byte[]? output0 = null, int inputChannels = 3, int outW = 20, int outH = 15, int outCh = 30)
    {
        int outBytes = outW * outH * outCh * 4;
        output0 ??= new byte[outBytes];
        var layers = new List<LayerDescriptor>
        {
            new(0, 10240, "K210Conv", 100, 432)
            {
                Kpu = new KpuLayerInfo(320, 240, 160, 120, inputChannels, 16, false, 1, 1, 432, 0, 0, 0, false),
                OutputShape = [1, 16, 120, 160],
                OutputBytes = 160 * 120 * 16,
            },
            new(1, 10240, "K210Conv", 600, 200)
            {
                Kpu = new KpuLayerInfo(160, 120, outW, outH, 16, outCh, true, 1, 0, 144, 0, 0, 0, true),
                OutputShape = [1, outCh, outH, outW],
                OutputBytes = outW * outH * outCh,
            },
            new(2, 12, "Dequantize", 800, 24)
            {
                OutputShape = [1, outCh, outH, outW],
                OutputType = ElementType.Float32,
                OutputBytes = outBytes,
            },
        };
        var inputs = new[] { new TensorInfo(0, ElementType.UInt8, [1, inputChannels, 240, 320], inputChannels * 240 * 320, MemoryKind.Kpu, 0) };
        var outputs = new[] { new TensorInfo(0, ElementType.Float32, [1, 1, 1, outBytes / 4], outBytes, MemoryKind.Main, 0) };
        return new KModel(KModelFormat.V3, 3, new byte[1024], new FakeProgram(output0), inputs, outputs, layers, [], 1000, 1000);
    }

    public static KpuTask Task(KModel? model = null) => KpuTask.Create(model ?? FaceLike(), null, "fake.kmodel", 1024);

    private sealed class FakeProgram(byte[] output0) : ModelProgram
    {
        public override ModelExecutor CreateExecutor(KModel model, RunOptions options) => new FakeExecutor(model, options, output0);
    }

    internal sealed class FakeExecutor(KModel model, RunOptions options, byte[] output0) : ModelExecutor(model, options)
    {
        public static byte[]? LastInput { get; private set; }

        public override void SetInput(int index, ReadOnlySpan<byte> data) => LastInput = data.ToArray();

        public override void RunLayer(int index)
        {
        }

        public override ReadOnlySpan<byte> GetOutput(int index) => output0;

        public override void ReadLayerOutput(int index, Span<byte> destination)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = (byte)(index + (i % 200));
            }
        }
    }
}

/// <summary>Tests that touch process-wide state (the 5-model limit, Flash.Default, Sensor, Lcd, Kpu.Output) run one at a time.</summary>
[CollectionDefinition("Kpu", DisableParallelization = true)]
public sealed class KpuCollection
{
}
