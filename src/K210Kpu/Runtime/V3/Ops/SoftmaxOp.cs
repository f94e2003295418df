using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>
/// SOFTMAX (15), as the SDK's <c>kpu_softmax</c>: <c>m = fmaxf</c> over the inputs starting from <c>FLT_MIN</c> (the smallest
/// positive normal, not −∞); <c>e = expf(x − m)</c> summed sequentially and stored; then <c>out /= sum</c>.
/// </summary>
internal sealed class SoftmaxOp(int index, long bodyOffset, long input, long output, long channels)
    : V3Op(index, V3LayerType.Softmax, bodyOffset)
{
    /// <summary>C's <c>FLT_MIN</c>.</summary>
    public const float FltMin = 1.17549435e-38f;

    public override string Name => "Softmax";

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
        float max = FltMin;
        for (int i = 0; i < src.Length; i++)
        {
            max = FloatMath.FMax(max, src[i]);
        }

        float sum = 0f;
        for (int i = 0; i < src.Length; i++)
        {
            float value = MathF.Exp(src[i] - max);
            sum += value;
            dst[i] = value;
        }

        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] /= sum;
        }
    }
}
