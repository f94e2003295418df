using System.Buffers.Binary;

namespace K210Kpu.Maix;

/// <summary>
/// Finds a model's size from its header, as MaixPy does for a model in flash (maixpy-api §1.3): V3 walks the layer
/// header table (<c>28 + 8·outputs + 8·layers + Σ body_size</c>, a body size ≤ 0 is error 2003); V4 adds the
/// nncase 0.2 sections (<c>40 + 32·inputs + 16·outputs + constants + 8·nodes + Σ body_size</c>).
/// </summary>
internal static class ModelSizeProbe
{
    public static long Probe(ReadOnlySpan<byte> flashFromModel)
    {
        if (flashFromModel.Length < 28)
        {
            throw MaixPyException.Load(KpuErrorCode.Param);
        }

        uint first = U32(flashFromModel, 0);
        if (first == 3 && U32(flashFromModel, 8) == 0)
        {
            long layers = U32(flashFromModel, 12);
            long outputs = U32(flashFromModel, 24);
            long tableStart = 28 + (8 * outputs);
            long size = tableStart + (8 * layers);
            if (size > flashFromModel.Length)
            {
                throw MaixPyException.Load(KpuErrorCode.KModelFormat);
            }

            for (long i = 0; i < layers; i++)
            {
                int body = (int)U32(flashFromModel, (int)(tableStart + (8 * i) + 4));
                if (body <= 0)
                {
                    throw MaixPyException.Load(KpuErrorCode.KModelFormat);
                }

                size += body;
            }

            return size;
        }

        if (first == KModelSniffer.KmdlIdentifier && U32(flashFromModel, 4) == 4 && flashFromModel.Length >= 40)
        {
            long constants = U32(flashFromModel, 16);
            long nodes = U32(flashFromModel, 24);
            long inputs = U32(flashFromModel, 28);
            long outputs = U32(flashFromModel, 32);
            long headers = 40 + (32 * inputs) + (16 * outputs) + constants;
            long size = headers + (8 * nodes);
            if (size > flashFromModel.Length)
            {
                throw MaixPyException.Load(KpuErrorCode.KModelFormat);
            }

            for (long i = 0; i < nodes; i++)
            {
                size += U32(flashFromModel, (int)(headers + (8 * i) + 4));
            }

            return size;
        }

        throw MaixPyException.Load(KpuErrorCode.KModelVersion);
    }

    private static uint U32(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(offset, 4));
}
