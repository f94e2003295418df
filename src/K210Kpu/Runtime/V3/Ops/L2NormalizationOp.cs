using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>L2_NORMALIZATION (14): <c>s = Σ x²</c> (sequential; fused in device mode), at least 1e-10f; <c>out = x · (1f / sqrtf(s))</c>.</summary>
internal sealed class L2NormalizationOp(int index, long bodyOffset, long input, long output, long channels)
    : V3Op(index, V3LayerType.L2Normalization, bodyOffset)
{
    public override string Name => "L2Normalization";

    public override ElementType OutputType => ElementType.Float32;

    public override long OutputStart => output;

    public override int OutputBytes => (int)(channels * 4);

    public override long InputStart => input;

    public override long InputElements => channels;

    public override string Details => $"{channels} values, @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, channels * 4, "input");
        yield return (output, channels * 4, "output");
    }

    public override void Run(V3Executor executor)
    {
        Span<float> src = executor.Floats(input, channels);
        Span<float> dst = executor.Floats(output, channels);
        bool fused = executor.Options.Mode == ArithmeticMode.Device;
        float sum = 0f;
        for (int i = 0; i < src.Length; i++)
        {
            sum = FloatMath.MulAdd(src[i], src[i], sum, fused);
        }

        if (sum < 1e-10f)
        {
            sum = 1e-10f;
        }

        sum = 1f / MathF.Sqrt(sum);
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = src[i] * sum;
        }
    }
}
