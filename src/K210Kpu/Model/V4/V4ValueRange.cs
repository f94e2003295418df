namespace K210Kpu.Model.V4;

/// <summary><c>value_range&lt;float&gt;</c>: the fused activation clamp.</summary>
internal readonly record struct V4ValueRange(float Min, float Max)
{
    /// <summary>True for {−FLT_MAX, FLT_MAX}, the "no activation" value.</summary>
    public bool IsFull => Min == -float.MaxValue && Max == float.MaxValue;

    /// <summary><c>std::clamp(v, min, max)</c>: <c>v &lt; min ? min : max &lt; v ? max : v</c>; NaN passes through.</summary>
    public float Apply(float v) => v < Min ? Min : Max < v ? Max : v;

    public override string ToString() => IsFull ? "none" : $"[{Min:G9}, {Max:G9}]";
}
