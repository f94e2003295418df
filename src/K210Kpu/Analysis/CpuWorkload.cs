using System.Buffers.Binary;

namespace K210Kpu.Analysis;

/// <summary>
/// The element count that drives the cost of a CPU layer. For V3 the count is read from the layer body
/// (field layout: kpu-and-kmodel-v3 §4.6); for other formats it falls back to the larger of the output elements and the MACs.
/// </summary>
internal static class CpuWorkload
{
    public static long Elements(KModel model, LayerDescriptor layer)
    {
        long fallback = Math.Max(OutputElements(layer), layer.Macs);
        if (model.Format != KModelFormat.V3)
        {
            return fallback;
        }

        long v3 = V3Elements(model.Bytes.Span, layer);
        return v3 > 0 ? v3 : fallback;
    }

    public static long OutputElements(LayerDescriptor layer) =>
        layer.OutputType == ElementType.Float32 ? layer.OutputBytes / 4 : layer.OutputBytes;

    /// <summary>Reads the element count from a V3 CPU-layer body; 0 when the body is out of the file or the type has no count.</summary>
    internal static long V3Elements(ReadOnlySpan<byte> file, LayerDescriptor layer)
    {
        if (layer.BodyOffset < 0 || layer.BodyOffset >= file.Length)
        {
            return 0;
        }

        ReadOnlySpan<byte> body = file[(int)layer.BodyOffset..];
        if (layer.BodySize >= 0 && layer.BodySize < body.Length)
        {
            body = body[..layer.BodySize];
        }

        static long U(ReadOnlySpan<byte> b, int offset) => offset + 4 <= b.Length ? BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]) : 0;
        static long M(long a, long b) => a == 0 || b == 0 ? 0 : a > long.MaxValue / b ? long.MaxValue : a * b;

        switch (layer.OpCode)
        {
            case V3LayerKinds.Quantize:
            case V3LayerKinds.Dequantize:
            case V3LayerKinds.Requantize:
                return U(body, 12); // flags, in, out, count
            case V3LayerKinds.Add:
            case V3LayerKinds.QuantizedAdd:
                return U(body, 16); // flags, in_a, in_b, out, count
            case V3LayerKinds.GlobalAveragePool2D:
                return M(U(body, 12), U(body, 16)); // kernel_size (H·W) × channels
            case V3LayerKinds.QuantizedMaxPool2D:
            case V3LayerKinds.AveragePool2D:
                // flags, in, out, in{w,h,c}, out{w,h,c}, kernel_w, kernel_h: one read per output tap
                return Math.Max(M(M(U(body, 12), U(body, 16)), U(body, 20)), M(M(M(M(U(body, 24), U(body, 28)), U(body, 32)), U(body, 36)), U(body, 40)));
            case V3LayerKinds.L2Normalization:
            case V3LayerKinds.Softmax:
            case V3LayerKinds.Logistic:
            case V3LayerKinds.K210AddPadding:
            case V3LayerKinds.K210RemovePadding:
                return U(body, 12); // flags, in, out, channels
            case V3LayerKinds.Concat:
            case V3LayerKinds.QuantizedConcat:
            {
                long n = U(body, 8);
                long sum = 0;
                for (long i = 0; i < n && 16 + (8 * i) + 4 <= body.Length; i++)
                {
                    sum += U(body, (int)(16 + (8 * i)));
                }

                return sum; // bytes copied
            }

            case V3LayerKinds.FullyConnected:
                return M(U(body, 12), U(body, 16)); // in_channels × out_channels multiply-adds
            case V3LayerKinds.TensorflowFlatten:
                return M(M(U(body, 12), U(body, 16)), U(body, 20));
            case V3LayerKinds.ResizeNearestNeighbor:
            case V3LayerKinds.QuantizedResizeNearestNeighbor:
                return M(M(U(body, 20), U(body, 24)), U(body, 28)); // channels × out_w × out_h
            case V3LayerKinds.ChannelwiseDequantize:
                return M(U(body, 12), U(body, 16));
            case V3LayerKinds.K210Upload:
                return M(M(U(body, 12), U(body, 16)), U(body, 20));
            default:
                return 0;
        }
    }
}
