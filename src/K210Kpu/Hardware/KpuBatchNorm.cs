namespace K210Kpu.Hardware;

/// <summary>
/// <c>kpu_batchnorm_argument_t</c>, one 64-bit word per output channel: <c>norm_mul</c> bits 0..23 (signed),
/// <c>norm_add</c> bits 24..55 (signed), <c>norm_shift</c> bits 56..59.
/// </summary>
internal readonly record struct KpuBatchNorm(long Mul, long Add, int Shift)
{
    public static KpuBatchNorm FromWord(ulong word) => new(
        KpuLayerArgument.SignedField(word, 0, 24),
        KpuLayerArgument.SignedField(word, 24, 32),
        (int)KpuLayerArgument.Field(word, 56, 4));
}
