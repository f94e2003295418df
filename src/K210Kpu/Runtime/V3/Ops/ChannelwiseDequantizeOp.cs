using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>CHANNELWISE_DEQUANTIZE (24): for each channel c and i &lt; channel_size, <c>out = q·scale[c] + bias[c]</c> (dense, channel-major; fused in device mode).</summary>
internal sealed class ChannelwiseDequantizeOp(int index, long bodyOffset, long input, long output, long channels, long channelSize, float[] scales, float[] biases)
    : V3Op(index, V3LayerType.ChannelwiseDequantize, bodyOffset)
{
    public override string Name => "ChannelwiseDequantize";

    public override ElementType OutputType => ElementType.Float32;

    public override long OutputStart => output;

    public override int OutputBytes => (int)(channels * channelSize * 4);

    public override long InputStart => input;

    public override long InputElements => channels * channelSize;

    public override string Details => $"{channels} channels of {channelSize}, @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, channels * channelSize, "input");
        yield return (output, channels * channelSize * 4, "output");
    }

    public override void Run(V3Executor executor)
    {
        byte[] m = executor.Main;
        Span<float> dst = executor.Floats(output, channels * channelSize);
        bool fused = executor.Options.Mode == ArithmeticMode.Device;
        int k = 0;
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < channelSize; i++)
            {
                dst[k] = FloatMath.MulAdd(m[input + k], scales[c], biases[c], fused);
                k++;
            }
        }
    }
}
