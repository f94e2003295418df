namespace K210Kpu.Model.V4;

/// <summary><c>value_range&lt;float&gt;</c>: the fused activation clamp.</summary>
internal readonly record struct V4ValueRange(float Min, float Max)
{
    /// <summary>True for {−FLT_MAX, FLT_MAX}, the "no activation" value.</summary>
    public bool IsFull => Min == -float.MaxValue && Max == float.MaxValue;

    /// <summary>
    /// <c>apply_activation</c> = <c>std::clamp(v, min, max)</c>: <c>v &lt; min ? min : max &lt; v ? max : v</c>. Reference quirk: the
    /// fused activation does no rounding and lets NaN through unchanged (neither comparison holds).
    /// </summary>
    public float Apply(float v) => v < Min ? Min : Max < v ? Max : v;

    public override string ToString() => IsFull ? "none" : $"[{Min:G9}, {Max:G9}]";
}
