using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>GLOBAL_AVERAGE_POOL2D (5): per channel, <c>s = Σ in</c> (sequential float) then <c>s / (float)kernel_size</c>.</summary>
internal sealed class GlobalAveragePoolOp(int index, long bodyOffset, long input, long output, long kernelSize, long channels)
    : V3Op(index, V3LayerType.GlobalAveragePool2d, bodyOffset)
{
    public override string Name => "GAP";

    public override ElementType OutputType => ElementType.Float32;

    public override long OutputStart => output;

    public override int OutputBytes => (int)(channels * 4);

    public override int[]? OwnOutputShape => [1, (int)channels, 1, 1];

    public override string Details => $"{channels} channels of {kernelSize}, @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, kernelSize * channels * 4, "input");
        yield return (output, channels * 4, "output");
    }

    public override void Run(V3Executor executor)
    {
        Span<float> src = executor.Floats(input, kernelSize * channels);
        Span<float> dst = executor.Floats(output, channels);
        int k = (int)kernelSize;
        for (int c = 0; c < dst.Length; c++)
        {
            float sum = 0f;
            for (int i = 0; i < k; i++)
            {
                sum += src[(c * k) + i];
            }

            dst[c] = sum / (float)kernelSize;
        }
    }
}
