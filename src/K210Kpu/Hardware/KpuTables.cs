using System.Buffers.Binary;

namespace K210Kpu.Hardware;

/// <summary>Decoders of the batch-norm and activation tables as stored in model files (kpu-and-kmodel-v3 §2.1–2.2).</summary>
internal static class KpuTables
{
    /// <summary>Bytes of <c>kpu_activate_table_t</c>: 16 segment words and 2 words of result biases.</summary>
    public const int ActivationTableBytes = 144;

    /// <summary>Bytes of one <c>kpu_batchnorm_argument_t</c>.</summary>
    public const int BatchNormBytes = 8;

    /// <summary>Decodes <paramref name="count"/> batch-norm words.</summary>
    public static KpuBatchNorm[] ReadBatchNorm(ReadOnlySpan<byte> data, int count)
    {
        var result = new KpuBatchNorm[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = KpuBatchNorm.FromWord(BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * BatchNormBytes, BatchNormBytes)));
        }

        return result;
    }

    /// <summary>
    /// Decodes the 16 segments: <c>shift_number</c> bits 0..7, <c>y_mul</c> bits 8..23 (signed), <c>x_start</c> bits 24..59
    /// (signed 36-bit); segment i's <c>result_bias</c> is byte i of the 16 bytes at offset 128.
    /// </summary>
    public static KpuActivationSegment[] ReadActivation(ReadOnlySpan<byte> data)
    {
        var result = new KpuActivationSegment[16];
        for (int i = 0; i < 16; i++)
        {
            ulong word = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 8, 8));
            result[i] = new KpuActivationSegment(
                KpuLayerArgument.SignedField(word, 24, 36),
                KpuLayerArgument.SignedField(word, 8, 16),
                (int)KpuLayerArgument.Field(word, 0, 8),
                data[128 + i]);
        }

        return result;
    }
}
