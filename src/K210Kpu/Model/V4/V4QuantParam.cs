namespace K210Kpu.Model.V4;

/// <summary><c>quant_param_t</c>: zero point and the inverted scale (value = (q − zero_point) / scale).</summary>
internal readonly record struct V4QuantParam(int ZeroPoint, float Scale)
{
    public override string ToString() => $"zp {ZeroPoint}, scale {Scale:G9}";
}
