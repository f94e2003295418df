using K210Kpu.Hardware;
using K210Kpu.Runtime.V3;
using K210Kpu.Runtime.V3.Ops;

namespace K210Kpu.Model.V3;

/// <summary>
/// Reader of kmodel V3 (nncase 0.1; kpu-and-kmodel-v3 §4): 28-byte header, output table, layer headers, bodies.
/// Everything is validated here (§5.2), so running never reads outside the file, main memory or KPU RAM.
/// Tolerated: a last body declared up to 7 bytes past the end of the file (its alignment padding, as in
/// nncase_iris_v3), and bytes after the last body.
/// </summary>
internal static class KModelReaderV3
{
    /// <summary>Bytes of the file header.</summary>
    public const int HeaderBytes = 28;

    /// <summary>Largest main buffer accepted: the K210 has 8 MiB of SRAM in all.</summary>
    public const long MaxMainMemoryBytes = 8 * 1024 * 1024;

    /// <summary>How far the last body may be declared past the end of the file (its trailing alignment).</summary>
    public const int MaxMissingTail = 7;

    public static KModel Read(ReadOnlyMemory<byte> bytes)
    {
        ReadOnlySpan<byte> d = bytes.Span;
        var r = new SpanReader(d);
        uint version = r.ReadUInt32("header version");
        uint flags = r.ReadUInt32("header flags");
        uint arch = r.ReadUInt32("header arch");
        uint layersLength = r.ReadUInt32("header layers_length");
        uint maxStartAddress = r.ReadUInt32("header max_start_address");
        uint mainMemUsage = r.ReadUInt32("header main_mem_usage");
        uint outputCount = r.ReadUInt32("header output_count");
        if (version != 3 || arch != 0)
        {
            throw new KModelVersionException($"not a K210 kmodel V3 (version {version}, arch {arch})", "kmodel V3", (int)Math.Min(version, int.MaxValue));
        }

        if (layersLength == 0)
        {
            ThrowHelper.Format("the model has no layers (layers_length = 0)", 12);
        }

        long tablesEnd = HeaderBytes + (8L * outputCount) + (8L * layersLength);
        if (tablesEnd > d.Length)
        {
            ThrowHelper.Truncated($"the output table ({outputCount} entries) and layer headers ({layersLength} entries)", HeaderBytes, tablesEnd - HeaderBytes, d.Length);
        }

        if (mainMemUsage > MaxMainMemoryBytes)
        {
            ThrowHelper.Validation($"main_mem_usage {mainMemUsage} exceeds the K210's {MaxMainMemoryBytes} bytes of SRAM", -1, 20);
        }

        bool eightBit = (flags & 1) != 0;
        var outputs = new (long Start, int Size)[outputCount];
        for (int i = 0; i < outputCount; i++)
        {
            long at = r.FileOffset;
            uint address = r.ReadUInt32("output address");
            uint size = r.ReadUInt32("output size");
            if ((long)address + size > mainMemUsage)
            {
                ThrowHelper.Validation($"output {i} [0x{address:X}, +{size}) lies outside main memory ({mainMemUsage} bytes)", -1, at);
            }

            outputs[i] = (address, (int)size);
        }

        var headers = new (uint Type, uint Size)[layersLength];
        for (int i = 0; i < layersLength; i++)
        {
            headers[i] = (r.ReadUInt32("layer type"), r.ReadUInt32("layer body_size"));
        }

        var ops = new V3Op[layersLength];
        var bodySizes = new int[layersLength];
        long offset = tablesEnd;
        for (int i = 0; i < layersLength; i++)
        {
            (uint type, uint size) = headers[i];
            CheckSupported(type, i);
            long available = Math.Min(size, d.Length - offset);
            bool last = i == layersLength - 1;
            if (available < size && (!last || size - available > MaxMissingTail))
            {
                ThrowHelper.Truncated($"layer {i} ({NameOf(type)}) body", offset, size, d.Length);
            }

            var body = new SpanReader(d.Slice((int)offset, (int)available), offset);
            ops[i] = V3LayerParser.Parse((V3LayerType)type, i, ref body, bytes, eightBit);
            bodySizes[i] = (int)size;
            foreach ((long start, long length, string what) in ops[i].MainRanges())
            {
                if (start < 0 || length < 0 || start + length > mainMemUsage)
                {
                    ThrowHelper.LayerRange(i, ops[i].Name, what, start, length, "main memory", mainMemUsage, offset);
                }
            }

            offset += size;
        }

        TensorInfo input;
        KpuLayerArgument? firstConv = null;
        long floatInputStart = 0;
        int floatInputCount = 0;
        switch (ops[0])
        {
            case K210ConvOp conv:
                KpuLayerArgument a = conv.Layer.Arguments;
                firstConv = a;
                input = new TensorInfo(0, ElementType.UInt8, [1, a.InputChannels, a.InputHeight, a.InputWidth],
                    a.InputChannels * a.InputHeight * a.InputWidth, MemoryKind.Kpu, (long)a.ImageSrcAddr * KpuRam.RowBytes);
                break;
            case FullyConnectedOp fc:
                floatInputStart = fc.InputStart;
                floatInputCount = fc.InChannels;
                input = new TensorInfo(0, ElementType.Float32, [1, fc.InChannels, 1, 1], fc.InChannels * 4, MemoryKind.Main, fc.InputStart);
                break;
            default:
                ThrowHelper.LayerValue(0, ops[0].Name, "the first layer must be K210_CONV or FULLY_CONNECTED (the SDK runs nothing else first)", tablesEnd);
                return null!; // unreachable
        }

        int[][] shapes = OutputShapes(ops);
        var layers = new LayerDescriptor[ops.Length];
        for (int i = 0; i < ops.Length; i++)
        {
            V3Op op = ops[i];
            layers[i] = new LayerDescriptor(i, (uint)op.Type, op.Name, op.BodyOffset, bodySizes[i])
            {
                Kpu = op is K210ConvOp c ? KpuConvValidator.Describe(c.Layer.Arguments, c.HasMainOutput) : null,
                OutputShape = shapes[i],
                OutputType = op.OutputType,
                OutputMemory = op.OutputMemory,
                OutputStart = op.OutputStart,
                OutputBytes = op.OutputBytes,
                Macs = op.Macs,
                Details = op.Details,
            };
        }

        var outputInfos = new TensorInfo[outputCount];
        for (int o = 0; o < outputCount; o++)
        {
            (long start, int size) = outputs[o];
            ElementType type = ElementType.Float32;
            int[]? shape = null;
            for (int i = ops.Length - 1; i >= 0; i--)
            {
                if (ops[i].MainOutput is { } mo && mo.Start == start)
                {
                    type = ops[i].OutputType;
                    int elementBytes = type == ElementType.Float32 ? 4 : 1;
                    if (Elements(shapes[i]) * elementBytes == size)
                    {
                        shape = shapes[i];
                    }

                    break;
                }
            }

            int count = type == ElementType.Float32 ? size / 4 : size;
            outputInfos[o] = new TensorInfo(o, type, shape ?? [1, 1, 1, count], size, MemoryKind.Main, start);
        }

        var header = new List<KeyValuePair<string, string>>
        {
            new("version", version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("flags", $"0x{flags:X} ({(eightBit ? "8-bit" : "16-bit")} weights)"),
            new("arch", arch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("layers_length", layersLength.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("max_start_address", maxStartAddress.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("main_mem_usage", mainMemUsage.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("output_count", outputCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };

        var program = new V3Program(ops, (int)mainMemUsage, outputs, firstConv, floatInputStart, floatInputCount);
        return new KModel(KModelFormat.V3, 3, bytes, program, [input], outputInfos, layers, header, mainMemUsage, KpuRamBytes(ops, input));
    }

    /// <summary>The SDK's name of a layer type (or "unknown").</summary>
    public static string NameOf(uint type) => Enum.IsDefined(typeof(V3LayerType), type) ? ((V3LayerType)type).ToString() : "unknown";

    private static void CheckSupported(uint type, int index)
    {
        switch ((V3LayerType)type)
        {
            case V3LayerType.Invalid:
            case V3LayerType.GlobalMaxPool2d:
            case V3LayerType.QuantizedGlobalMaxPool2d:
            case V3LayerType.QuantizedGlobalAveragePool2d:
            case V3LayerType.MaxPool2d:
            case V3LayerType.QuantizedAveragePool2d:
            case V3LayerType.QuantizedFullyConnected:
            case V3LayerType.QuantizedTensorflowFlatten:
                ThrowHelper.Unsupported(type, NameOf(type), index, "is not run by the K210 SDK (it aborts on this layer type)");
                break;
            default:
                if (!Enum.IsDefined(typeof(V3LayerType), type))
                {
                    ThrowHelper.Unsupported(type, "unknown", index, "is not a V3 layer type");
                }

                break;
        }
    }

    private static long Elements(int[] shape)
    {
        long n = 1;
        foreach (int s in shape)
        {
            n *= s;
        }

        return n;
    }

    private static int[][] OutputShapes(V3Op[] ops)
    {
        var shapes = new int[ops.Length][];
        for (int i = 0; i < ops.Length; i++)
        {
            int[]? shape = ops[i].OwnOutputShape;
            if (shape is null && ops[i].InputStart >= 0)
            {
                for (int j = i - 1; j >= 0; j--)
                {
                    if (ops[j].MainOutput is { } mo && mo.Start == ops[i].InputStart)
                    {
                        if (Elements(shapes[j]) == ops[i].InputElements && ops[i].InputElements == ops[i].OutputElements)
                        {
                            shape = shapes[j];
                        }

                        break;
                    }
                }
            }

            shapes[i] = shape ?? [1, 1, 1, ops[i].OutputElements];
        }

        return shapes;
    }

    private static long KpuRamBytes(V3Op[] ops, TensorInfo input)
    {
        var ranges = new List<(long Start, long End)>();
        if (input.Memory == MemoryKind.Kpu)
        {
            KpuLayerArgument a = ((K210ConvOp)ops[0]).Layer.Arguments;
            ranges.Add((a.ImageSrcAddr, a.ImageSrcAddr + KpuRam.RowsFor(a.InputWidth, a.InputHeight, a.InputChannels)));
        }

        foreach (V3Op op in ops)
        {
            switch (op)
            {
                case K210ConvOp c:
                    KpuLayerArgument a = c.Layer.Arguments;
                    ranges.Add((a.ImageDstAddr, a.ImageDstAddr + KpuRam.RowsFor(a.OutputWidth, a.OutputHeight, a.OutputChannels)));
                    break;
                case K210UploadOp u:
                    ranges.Add((u.Row, u.Row + KpuRam.RowsFor(u.Width, u.Height, u.Channels)));
                    break;
                case K210AddPaddingOp p:
                    ranges.Add((p.Row, p.Row + p.Rows));
                    break;
            }
        }

        return UnionLength(ranges) * KpuRam.RowBytes;
    }

    /// <summary>Total length of the union of half-open ranges.</summary>
    internal static long UnionLength(List<(long Start, long End)> ranges)
    {
        ranges.Sort();
        long total = 0, curStart = -1, curEnd = -1;
        foreach ((long s, long e) in ranges)
        {
            if (s > curEnd)
            {
                total += curEnd - curStart;
                curStart = s;
                curEnd = e;
            }
            else
            {
                curEnd = Math.Max(curEnd, e);
            }
        }

        return total + (curEnd - curStart);
    }
}
