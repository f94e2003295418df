using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>
/// FULLY_CONNECTED (18): for each output, <c>s = 0; s += in[i]·W[o][i]</c> (i ascending; fused in device mode),
/// <c>out = s + bias[o]</c>, then the activation (0 linear, 1 ReLU, 2 ReLU6).
/// </summary>
internal sealed class FullyConnectedOp(int index, long bodyOffset, long input, long output, int inChannels, int outChannels, uint act, ReadOnlyMemory<byte> weights)
    : V3Op(index, V3LayerType.FullyConnected, bodyOffset)
{
    public int InChannels => inChannels;

    public override string Name => "FullyConnected";

    public override ElementType OutputType => ElementType.Float32;

    public override long OutputStart => output;

    public override int OutputBytes => outChannels * 4;

    public override long InputStart => input;

    public override long InputElements => inChannels;

    public override int[]? OwnOutputShape => [1, outChannels, 1, 1];

    public override long Macs => (long)inChannels * outChannels;

    public override string Details => $"{inChannels} -> {outChannels}, act {act}, @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, inChannels * 4L, "input");
        yield return (output, outChannels * 4L, "output");
    }

    public override void Run(V3Executor executor)
    {
        // weights: [out][in] f32, then bias[out] f32
        ReadOnlySpan<float> w = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(weights.Span);
        Span<float> src = executor.Floats(input, inChannels);
        Span<float> dst = executor.Floats(output, outChannels);
        bool fused = executor.Options.Mode == ArithmeticMode.Device;
        for (int o = 0; o < outChannels; o++)
        {
            ReadOnlySpan<float> row = w.Slice(o * inChannels, inChannels);
            float sum = 0f;
            for (int i = 0; i < inChannels; i++)
            {
                sum = FloatMath.MulAdd(src[i], row[i], sum, fused);
            }

            dst[o] = sum + w[(inChannels * outChannels) + o];
        }

        for (int o = 0; o < outChannels; o++)
        {
            dst[o] = FloatMath.Activate(dst[o], act);
        }
    }
}
