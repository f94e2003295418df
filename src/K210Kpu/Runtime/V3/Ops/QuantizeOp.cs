using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>
/// QUANTIZE (11): <c>inv = 1f / scale</c>; <c>q = (int)roundf((x − bias)·inv)</c> clamped to 0..255. The float→int
/// conversion of values outside int32 (and NaN) follows the host of each mode: reference (x86 <c>cvttss2si</c>) gives
/// INT_MIN, hence 0; device (RISC-V <c>fcvt.w.s</c>) saturates, NaN to INT_MAX, hence 255.
/// </summary>
internal sealed class QuantizeOp(int index, long bodyOffset, long input, long output, long count, float scale, float bias)
    : V3Op(index, V3LayerType.Quantize, bodyOffset)
{
    public override string Name => "Quantize";

    public override ElementType OutputType => ElementType.UInt8;

    public override long OutputStart => output;

    public override int OutputBytes => (int)count;

    public override long InputStart => input;

    public override long InputElements => count;

    public override string Details => $"{count} values, scale {scale:R}, bias {bias:R}, @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, count * 4, "input");
        yield return (output, count, "output");
    }

    /// <summary>One element.</summary>
    public static byte Compute(float x, float inverseScale, float bias, bool device)
    {
        float r = MathF.Round((x - bias) * inverseScale, MidpointRounding.AwayFromZero);
        int value;
        if (float.IsNaN(r))
        {
            value = device ? int.MaxValue : int.MinValue;
        }
        else if (r >= 2147483648f || r < -2147483648f)
        {
            value = device ? (r > 0 ? int.MaxValue : int.MinValue) : int.MinValue;
        }
        else
        {
            value = (int)r;
        }

        return (byte)Math.Clamp(value, 0, 255);
    }

    public override void Run(V3Executor executor)
    {
        byte[] m = executor.Main;
        Span<float> src = executor.Floats(input, count);
        float inverse = 1f / scale;
        bool device = executor.Options.Mode == ArithmeticMode.Device;
        for (int i = 0; i < src.Length; i++)
        {
            m[output + i] = Compute(src[i], inverse, bias, device);
        }
    }
}
