using System.Globalization;
using K210Kpu.Hardware;
using K210Kpu.Runtime.Legacy;

namespace K210Kpu.Model.Legacy;

/// <summary>
/// Reader of the legacy pre-V3 format of Kendryte's model compiler (legacy-v1.md): a 20-byte
/// <c>kpu_model_header_t</c>, 28-byte per-layer metadata (weights/BN/activation file offsets and float quantization),
/// and the 96-byte register images at <c>layers_argument_start</c>. Every layer is a KPU convolution.
/// </summary>
internal static class KModelReaderLegacy
{
    /// <summary>Bytes of the header.</summary>
    public const int HeaderBytes = 20;

    /// <summary>Bytes of one layer's metadata.</summary>
    public const int MetadataBytes = 28;

    /// <summary>Layer type reported for every legacy layer (the V3 value of K210_CONV).</summary>
    public const uint ConvOpCode = 10240;

    public static KModel Read(ReadOnlyMemory<byte> bytes)
    {
        ReadOnlySpan<byte> d = bytes.Span;
        var r = new SpanReader(d);
        uint version = r.ReadUInt32("header version");
        uint flags = r.ReadUInt32("header flags");
        uint layersLength = r.ReadUInt32("header layers_length");
        uint maxStartAddress = r.ReadUInt32("header max_start_address");
        uint argumentsStart = r.ReadUInt32("header layers_argument_start");
        if (version != 1)
        {
            throw new KModelVersionException($"not a legacy kmodel (version {version})", "legacy kmodel V1", (int)Math.Min(version, int.MaxValue));
        }

        if (layersLength == 0)
        {
            ThrowHelper.Format("the model has no layers (layers_length = 0)", 8);
        }

        r.Slice(HeaderBytes, (long)MetadataBytes * layersLength, $"layer metadata ({layersLength} entries)");
        r.Slice(argumentsStart, (long)KpuLayerArgument.SizeBytes * layersLength, $"layer arguments ({layersLength} entries)");
        bool sixteenBit = (flags & 1) == 0;
        var layers = new KpuConvLayer[layersLength];
        var descriptors = new LayerDescriptor[layersLength];
        var rows = new List<(long Start, long End)>();
        for (int i = 0; i < layersLength; i++)
        {
            var meta = new SpanReader(d.Slice(HeaderBytes + (MetadataBytes * i), MetadataBytes), HeaderBytes + (MetadataBytes * i));
            long weightsOffset = meta.ReadUInt32("weigths_offset");
            long bnOffset = meta.ReadUInt32("bn_offset");
            long actOffset = meta.ReadUInt32("act_offset");
            var quantization = new LayerQuantization(
                meta.ReadSingle("input_scale"), meta.ReadSingle("input_bias"), meta.ReadSingle("output_scale"), meta.ReadSingle("output_bias"));
            long registerOffset = argumentsStart + ((long)KpuLayerArgument.SizeBytes * i);
            var args = new KpuLayerArgument(r.Slice(registerOffset, KpuLayerArgument.SizeBytes, $"layer {i} registers"));
            KpuConvValidator.Validate(args, 1, i, "K210Conv", registerOffset);
            long weightBytes = KpuConvValidator.WeightBytes(args, sixteenBit);
            r.Slice(weightsOffset, weightBytes, $"layer {i} weights");
            KpuBatchNorm[] bn = KpuTables.ReadBatchNorm(
                r.Slice(bnOffset, (long)KpuTables.BatchNormBytes * args.OutputChannels, $"layer {i} batch-norm table"), args.OutputChannels);
            KpuActivationSegment[] act = KpuTables.ReadActivation(r.Slice(actOffset, KpuTables.ActivationTableBytes, $"layer {i} activation table"));
            KpuConvValidator.ValidateActivation(act, i, "K210Conv", actOffset);
            layers[i] = new KpuConvLayer(args, bytes.Slice((int)weightsOffset, (int)weightBytes), sixteenBit, bn, act);
            rows.Add((args.ImageDstAddr, args.ImageDstAddr + KpuRam.RowsFor(args.OutputWidth, args.OutputHeight, args.OutputChannels)));
            if (i == 0)
            {
                rows.Add((args.ImageSrcAddr, args.ImageSrcAddr + KpuRam.RowsFor(args.InputWidth, args.InputHeight, args.InputChannels)));
            }

            descriptors[i] = new LayerDescriptor(i, ConvOpCode, "K210Conv", registerOffset, KpuLayerArgument.SizeBytes)
            {
                Kpu = KpuConvValidator.Describe(args, i == layersLength - 1),
                OutputShape = [1, args.OutputChannels, args.OutputHeight, args.OutputWidth],
                OutputType = ElementType.UInt8,
                OutputMemory = MemoryKind.Kpu,
                OutputStart = (long)args.ImageDstAddr * KpuRam.RowBytes,
                OutputBytes = layers[i].OutputBytes,
                Macs = layers[i].Macs,
                Quantization = quantization,
                Details = $"{args.InputChannels}x{args.InputHeight}x{args.InputWidth} -> {args.OutputChannels}x{args.OutputHeight}x{args.OutputWidth}, " +
                    $"{args.KernelSize}x{args.KernelSize}{(args.DepthWiseLayer ? " depthwise" : string.Empty)}, pool {args.PoolType}, " +
                    $"rows {args.ImageSrcAddr} -> {args.ImageDstAddr}, weights @0x{weightsOffset:X}",
            };
        }

        KpuLayerArgument first = layers[0].Arguments;
        KpuLayerArgument lastArgs = layers[^1].Arguments;
        var input = new TensorInfo(0, ElementType.UInt8, [1, first.InputChannels, first.InputHeight, first.InputWidth],
            first.InputChannels * first.InputHeight * first.InputWidth, MemoryKind.Kpu, (long)first.ImageSrcAddr * KpuRam.RowBytes);
        var output = new TensorInfo(0, ElementType.UInt8, [1, lastArgs.OutputChannels, lastArgs.OutputHeight, lastArgs.OutputWidth],
            layers[^1].OutputBytes, MemoryKind.Main, 0);
        var header = new List<KeyValuePair<string, string>>
        {
            new("version", version.ToString(CultureInfo.InvariantCulture)),
            new("flags", $"0x{flags:X} ({(sixteenBit ? "16-bit" : "8-bit")} weights)"),
            new("layers_length", layersLength.ToString(CultureInfo.InvariantCulture)),
            new("max_start_address", maxStartAddress.ToString(CultureInfo.InvariantCulture)),
            new("layers_argument_start", argumentsStart.ToString(CultureInfo.InvariantCulture)),
        };

        return new KModel(KModelFormat.Legacy, 1, bytes, new LegacyProgram(layers), [input], [output], descriptors, header,
            output.ByteSize, V3.KModelReaderV3.UnionLength(rows) * KpuRam.RowBytes);
    }
}
