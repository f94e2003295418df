namespace K210Kpu.Runtime.V3.Ops;

/// <summary>Parameters of QUANTIZED_ADD: per input offset, multiplier and shift, and the output's.</summary>
internal readonly record struct QuantizedAddParameters(
    int InAOffset, int InAMul, int InAShift, int InBOffset, int InBMul, int InBShift, int OutOffset, int OutMul, int OutShift);
