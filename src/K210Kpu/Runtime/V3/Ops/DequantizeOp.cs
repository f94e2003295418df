using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>DEQUANTIZE (12): <c>out[i] = (float)q[i]·scale + bias</c> (fused in device mode).</summary>
internal sealed class DequantizeOp(int index, long bodyOffset, long input, long output, long count, float scale, float bias)
    : V3Op(index, V3LayerType.Dequantize, bodyOffset)
{
    public override string Name => "Dequantize";

    public override ElementType OutputType => ElementType.Float32;

    public override long OutputStart => output;

    public override int OutputBytes => (int)(count * 4);

    public override long InputStart => input;

    public override long InputElements => count;

    public override string Details => $"{count} values, scale {scale:R}, bias {bias:R}, @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, count, "input");
        yield return (output, count * 4, "output");
    }

    public override void Run(V3Executor executor)
    {
        byte[] m = executor.Main;
        Span<float> dst = executor.Floats(output, count);
        bool fused = executor.Options.Mode == ArithmeticMode.Device;
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = FloatMath.MulAdd(m[input + i], scale, bias, fused);
        }
    }
}
