namespace K210Kpu;

/// <summary>How CPU-side float layers round (the KPU pipeline is integer and identical in both modes).</summary>
public enum ArithmeticMode
{
    /// <summary>
    /// Plain IEEE-754 single precision without fused multiply-add, <c>roundf</c> ties away from zero:
    /// the arithmetic of nncase's simulator and of the SDK compiled without fast-math. The default.
    /// </summary>
    Reference = 0,

    /// <summary>
    /// The firmware's paths as far as they are known: multiply-adds fused, V4 quantize rounding ties to even,
    /// V4 dequantize as <c>q * (1/scale) + (-zero_point/scale)</c>.
    /// </summary>
    Device = 1,
}
