using K210Kpu.Hardware;
using K210Kpu.Runtime.V3;
using K210Kpu.Runtime.V3.Ops;

namespace K210Kpu.Model.V3;

/// <summary>
/// Parses one V3 layer body into its op (field order: kpu-and-kmodel-v3 §4.6; SDK <c>kpu_model_*_layer_argument_t</c>).
/// Every body starts with <c>u32 flags</c>; all other fields are u32 unless noted.
/// </summary>
internal static class V3LayerParser
{
    public static V3Op Parse(V3LayerType type, int index, ref SpanReader r, ReadOnlyMemory<byte> file, bool eightBit)
    {
        long at = r.BaseOffset;
        uint flags = r.ReadUInt32("layer flags");
        switch (type)
        {
            case V3LayerType.Add:
                return new AddOp(index, at, U(ref r, "in_a"), U(ref r, "in_b"), U(ref r, "out"), C(ref r, index, "count"));
            case V3LayerType.QuantizedAdd:
            {
                long a = U(ref r, "in_a"), b = U(ref r, "in_b"), o = U(ref r, "out"), count = C(ref r, index, "count");
                var p = new QuantizedAddParameters(
                    r.ReadInt32("in_a_offset"), r.ReadInt32("in_a_mul"), r.ReadInt32("in_a_shift"),
                    r.ReadInt32("in_b_offset"), r.ReadInt32("in_b_mul"), r.ReadInt32("in_b_shift"),
                    r.ReadInt32("out_offset"), r.ReadInt32("out_mul"), r.ReadInt32("out_shift"));
                return new QuantizedAddOp(index, at, a, b, o, count, p);
            }

            case V3LayerType.GlobalAveragePool2d:
                return new GlobalAveragePoolOp(index, at, U(ref r, "in"), U(ref r, "out"), C(ref r, index, "kernel_size"), C(ref r, index, "channels"));
            case V3LayerType.QuantizedMaxPool2d:
            {
                long i = U(ref r, "in"), o = U(ref r, "out");
                PoolWindow w = Window(ref r, index, "QuantizedMaxPool2d");
                return new QuantizedMaxPoolOp(index, at, i, o, w);
            }

            case V3LayerType.AveragePool2d:
            {
                long i = U(ref r, "in"), o = U(ref r, "out");
                PoolWindow w = Window(ref r, index, "AveragePool2d");
                return new AveragePoolOp(index, at, i, o, w, r.ReadUInt32("act"));
            }

            case V3LayerType.Quantize:
                return new QuantizeOp(index, at, U(ref r, "in"), U(ref r, "out"), C(ref r, index, "count"), r.ReadSingle("scale"), r.ReadSingle("bias"));
            case V3LayerType.Dequantize:
                return new DequantizeOp(index, at, U(ref r, "in"), U(ref r, "out"), C(ref r, index, "count"), r.ReadSingle("scale"), r.ReadSingle("bias"));
            case V3LayerType.Requantize:
            {
                long i = U(ref r, "in"), o = U(ref r, "out"), count = C(ref r, index, "count");
                return new RequantizeOp(index, at, i, o, count, r.ReadBytes(256, "requantize table").ToArray());
            }

            case V3LayerType.L2Normalization:
                return new L2NormalizationOp(index, at, U(ref r, "in"), U(ref r, "out"), C(ref r, index, "channels"));
            case V3LayerType.Softmax:
                return new SoftmaxOp(index, at, U(ref r, "in"), U(ref r, "out"), C(ref r, index, "channels"));
            case V3LayerType.Logistic:
                return new LogisticOp(index, at, U(ref r, "in"), U(ref r, "out"), C(ref r, index, "channels"));
            case V3LayerType.Concat:
            case V3LayerType.QuantizedConcat:
            {
                long o = U(ref r, "out");
                long n = C(ref r, index, "input_count");
                if (n * 8 > r.Remaining)
                {
                    ThrowHelper.Truncated($"layer {index} concat inputs ({n})", r.FileOffset, n * 8, r.BaseOffset + r.Length);
                }

                var inputs = new (long, long)[n];
                for (int k = 0; k < n; k++)
                {
                    inputs[k] = (U(ref r, "input start"), U(ref r, "input size"));
                }

                return new ConcatOp(index, type, at, o, inputs);
            }

            case V3LayerType.FullyConnected:
            {
                long i = U(ref r, "in"), o = U(ref r, "out"), ic = C(ref r, index, "in_channels"), oc = C(ref r, index, "out_channels");
                uint act = r.ReadUInt32("act");
                long weightBytes = 4 * ((ic * oc) + oc);
                if (weightBytes > r.Remaining)
                {
                    ThrowHelper.Truncated($"layer {index} fully-connected weights ({ic}x{oc})", r.FileOffset, weightBytes, r.BaseOffset + r.Length);
                }

                if (act > 2)
                {
                    ThrowHelper.LayerValue(index, "FullyConnected", $"activation {act} is not 0 (linear), 1 (ReLU) or 2 (ReLU6)", at);
                }

                ReadOnlyMemory<byte> weights = file.Slice((int)r.FileOffset, (int)weightBytes);
                return new FullyConnectedOp(index, at, i, o, (int)ic, (int)oc, act, weights);
            }

            case V3LayerType.TensorflowFlatten:
            {
                long i = U(ref r, "in"), o = U(ref r, "out");
                return new TensorflowFlattenOp(index, at, i, o, Dim(ref r, index, "width"), Dim(ref r, index, "height"), Dim(ref r, index, "channels"));
            }

            case V3LayerType.ResizeNearestNeighbor:
            case V3LayerType.QuantizedResizeNearestNeighbor:
            {
                long i = U(ref r, "in"), o = U(ref r, "out");
                int w = Dim(ref r, index, "in width"), h = Dim(ref r, index, "in height"), c = Dim(ref r, index, "channels");
                int ow = Dim(ref r, index, "out_width"), oh = Dim(ref r, index, "out_height");
                uint align = r.ReadUInt32("align_corners");
                if (ow == 0 || oh == 0 || w == 0 || h == 0)
                {
                    ThrowHelper.LayerValue(index, KModelReaderV3.NameOf((uint)type), "sizes must be positive", at);
                }

                return new ResizeNearestNeighborOp(index, type, at, i, o, w, h, c, ow, oh, align);
            }

            case V3LayerType.ChannelwiseDequantize:
            {
                long i = U(ref r, "in"), o = U(ref r, "out"), channels = C(ref r, index, "channels"), size = C(ref r, index, "channel_size");
                if (channels * 8 > r.Remaining)
                {
                    ThrowHelper.Truncated($"layer {index} channelwise quantization parameters ({channels})", r.FileOffset, channels * 8, r.BaseOffset + r.Length);
                }

                var scales = new float[channels];
                var biases = new float[channels];
                for (int k = 0; k < channels; k++)
                {
                    scales[k] = r.ReadSingle("scale");
                    biases[k] = r.ReadSingle("bias");
                }

                return new ChannelwiseDequantizeOp(index, at, i, o, channels, size, scales, biases);
            }

            case V3LayerType.K210Conv:
                return ParseConv(index, ref r, file, eightBit, flags);
            case V3LayerType.K210AddPadding:
            {
                long i = U(ref r, "in");
                long row = U(ref r, "kpu_mem_out_address");
                int channels = Dim(ref r, index, "channels");
                var op = new K210AddPaddingOp(index, at, i, (int)Math.Min(row, int.MaxValue), channels);
                CheckRows(index, op.Name, row, op.Rows, at);
                return op;
            }

            case V3LayerType.K210RemovePadding:
                return new K210RemovePaddingOp(index, at, U(ref r, "in"), U(ref r, "out"), Dim(ref r, index, "channels"));
            case V3LayerType.K210Upload:
            {
                long i = U(ref r, "in");
                long row = U(ref r, "kpu_mem_out_address");
                int w = Dim(ref r, index, "width"), h = Dim(ref r, index, "height"), c = Dim(ref r, index, "channels");
                if (w > 1024 || h > 1024)
                {
                    ThrowHelper.LayerValue(index, "K210Upload", $"a {w}x{h} map does not fit the KPU (at most 1024 wide and high)", at);
                }

                CheckRows(index, "K210Upload", row, KpuRam.RowsFor(w, h, c), at);
                return new K210UploadOp(index, at, i, (int)row, w, h, c);
            }

            default:
                ThrowHelper.Unsupported((uint)type, KModelReaderV3.NameOf((uint)type), index, "is not a V3 layer type");
                return null!; // unreachable
        }
    }

    private static long U(ref SpanReader r, string what) => r.ReadUInt32(what);

    /// <summary>An element count: at most the largest main buffer, so products of counts cannot overflow.</summary>
    private static long C(ref SpanReader r, int index, string what)
    {
        long at = r.FileOffset;
        uint v = r.ReadUInt32(what);
        if (v > KModelReaderV3.MaxMainMemoryBytes)
        {
            ThrowHelper.LayerValue(index, "layer", $"{what} {v} exceeds the largest main memory ({KModelReaderV3.MaxMainMemoryBytes} bytes)", at);
        }

        return v;
    }

    /// <summary>A dimension: at most 2^20 so that products stay small.</summary>
    private static int Dim(ref SpanReader r, int index, string what)
    {
        long at = r.FileOffset;
        uint v = r.ReadUInt32(what);
        if (v > (1 << 20))
        {
            ThrowHelper.LayerValue(index, "layer", $"{what} {v} is implausibly large", at);
        }

        return (int)v;
    }

    private static void CheckRows(int index, string name, long row, long rows, long at)
    {
        if (row + rows > KpuRam.RowCount)
        {
            ThrowHelper.LayerRange(index, name, "KPU map (rows)", row, rows, "KPU RAM rows", KpuRam.RowCount, at);
        }
    }

    private static PoolWindow Window(ref SpanReader r, int index, string name)
    {
        long at = r.FileOffset;
        var w = new PoolWindow(
            Dim(ref r, index, "in width"), Dim(ref r, index, "in height"), Dim(ref r, index, "in channels"),
            Dim(ref r, index, "out width"), Dim(ref r, index, "out height"), Dim(ref r, index, "out channels"),
            Dim(ref r, index, "kernel_width"), Dim(ref r, index, "kernel_height"),
            Dim(ref r, index, "stride_width"), Dim(ref r, index, "stride_height"),
            Dim(ref r, index, "padding_width"), Dim(ref r, index, "padding_height"));
        if (w.Problem() is { } problem)
        {
            ThrowHelper.LayerValue(index, name, problem, at);
        }

        return w;
    }

    private static K210ConvOp ParseConv(int index, ref SpanReader r, ReadOnlyMemory<byte> file, bool eightBit, uint flags)
    {
        const string Name = "K210Conv";
        long mainOut = U(ref r, "main_mem_out_address");
        long layerOffset = U(ref r, "layer_offset");
        long weightsOffset = U(ref r, "weights_offset");
        long bnOffset = U(ref r, "bn_offset");
        long actOffset = U(ref r, "act_offset");
        var whole = new SpanReader(file.Span);
        var args = new KpuLayerArgument(whole.Slice(layerOffset, KpuLayerArgument.SizeBytes, $"layer {index} ({Name}) registers"));
        KpuConvValidator.Validate(args, 1, index, Name, layerOffset);
        long weightBytes = KpuConvValidator.WeightBytes(args, !eightBit);
        whole.Slice(weightsOffset, weightBytes, $"layer {index} ({Name}) weights");
        KpuBatchNorm[] bn = KpuTables.ReadBatchNorm(
            whole.Slice(bnOffset, (long)KpuTables.BatchNormBytes * args.OutputChannels, $"layer {index} ({Name}) batch-norm table"), args.OutputChannels);
        KpuActivationSegment[] act = KpuTables.ReadActivation(
            whole.Slice(actOffset, KpuTables.ActivationTableBytes, $"layer {index} ({Name}) activation table"));
        KpuConvValidator.ValidateActivation(act, index, Name, actOffset);
        var layer = new KpuConvLayer(args, file.Slice((int)weightsOffset, (int)weightBytes), !eightBit, bn, act);
        if ((flags & 1) != 0 && (long)args.DmaTotalByte + 1 != layer.OutputBytes)
        {
            // The SDK DMAs dma_total_byte + 1 bytes; nncase always makes that the dense output size.
            ThrowHelper.LayerValue(index, Name, $"dma_total_byte + 1 = {(long)args.DmaTotalByte + 1} differs from the output size {layer.OutputBytes}", layerOffset + 88);
        }

        return new K210ConvOp(index, r.BaseOffset, layer, (flags & 1) != 0, mainOut);
    }
}
