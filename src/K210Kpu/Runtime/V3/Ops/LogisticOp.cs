using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>LOGISTIC (25): <c>out = 1f / (1f + expf(−x))</c>.</summary>
internal sealed class LogisticOp(int index, long bodyOffset, long input, long output, long channels)
    : V3Op(index, V3LayerType.Logistic, bodyOffset)
{
    public override string Name => "Logistic";

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
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = 1f / (1f + MathF.Exp(-src[i]));
        }
    }
}
