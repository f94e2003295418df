using K210Kpu.Hardware;
using K210Kpu.Runtime.V4;
using K210Kpu.Runtime.V4.Ops;

namespace K210Kpu.Model.V4;

/// <summary>
/// Reader of kmodel V4 (nncase 0.2): a 40-byte header, input ranges and shapes, output ranges, the constants blob,
/// node headers and node bodies (each padded to 8 bytes of file offset). Every body is parsed and validated here, so a
/// loaded model runs without further checks (nncase v0.2.0-beta4 <c>interpreter_base::try_load_model</c> and the
/// op bodies' <c>deserialize</c>).
/// </summary>
internal static class KModelReaderV4
{
    /// <summary>Size of <c>model_header</c>.</summary>
    public const int HeaderBytes = 40;

    /// <summary>Largest <c>main_mem</c> accepted (the K210 has 8 MiB of SRAM in all).</summary>
    public const long MaxMainMemory = 16L * 1024 * 1024;

    /// <summary>The writer pads each body to 8 bytes of file offset; the last body's padding may be missing from the file.</summary>
    private const int BodyAlignment = 8;

    public static KModel Read(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return ReadCore(bytes);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException or InvalidCastException)
        {
            // Defence in depth: every read is bounds-checked above; should one slip through it is still a format error.
            throw new KModelFormatException($"malformed kmodel V4: {e.Message}", -1, e);
        }
    }

    private static KModel ReadCore(ReadOnlyMemory<byte> bytes)
    {
        ReadOnlySpan<byte> file = bytes.Span;
        var r = new SpanReader(file);
        uint identifier = r.ReadUInt32("model_header.identifier");
        uint version = r.ReadUInt32("model_header.version");
        uint flags = r.ReadUInt32("model_header.flags");
        uint target = r.ReadUInt32("model_header.target");
        uint constants = r.ReadUInt32("model_header.constants");
        uint mainMem = r.ReadUInt32("model_header.main_mem");
        uint nodeCount = r.ReadUInt32("model_header.nodes");
        uint inputCount = r.ReadUInt32("model_header.inputs");
        uint outputCount = r.ReadUInt32("model_header.outputs");
        uint reserved0 = r.ReadUInt32("model_header.reserved0");
        if (identifier != KModelSniffer.KmdlIdentifier)
        {
            ThrowHelper.Format($"bad identifier 0x{identifier:X8}; a kmodel V4 starts with \"LDMK\"", 0);
        }

        if (version != 4)
        {
            ThrowHelper.Format($"version {version} is not 4", 4);
        }

        if (target > 1)
        {
            ThrowHelper.Format($"target {target} is neither 0 (CPU) nor 1 (K210)", 12);
        }

        if (mainMem > MaxMainMemory)
        {
            ThrowHelper.Validation($"main_mem of {mainMem} bytes is more than any K210 has ({MaxMainMemory} accepted)", -1, 20);
        }

        // Section sizes from the counts, in 64-bit so huge counts cannot wrap.
        long fixedEnd = HeaderBytes + (32L * inputCount) + (16L * outputCount) + constants + (8L * nodeCount);
        if (fixedEnd > file.Length)
        {
            ThrowHelper.Truncated($"the sections for {inputCount} inputs, {outputCount} outputs, {constants} constant bytes and {nodeCount} nodes", HeaderBytes, fixedEnd - HeaderBytes, file.Length);
        }

        var ctx = new V4LoadContext(constants, mainMem);
        var inputs = new V4MemoryRange[inputCount];
        var inputShapes = new V4Shape[inputCount];
        var outputs = new V4MemoryRange[outputCount];
        for (int i = 0; i < inputCount; i++)
        {
            inputs[i] = ctx.ReadRange(ref r, $"input {i} range");
        }

        for (int i = 0; i < inputCount; i++)
        {
            long at = r.FileOffset;
            inputShapes[i] = ctx.ReadShape(ref r, $"input {i} shape");
            ctx.BodyOffset = at;
            CheckInput(ctx, i, inputs[i], inputShapes[i]);
        }

        for (int i = 0; i < outputCount; i++)
        {
            outputs[i] = ctx.ReadRange(ref r, $"output {i} range");
        }

        long constantsOffset = r.FileOffset;
        ReadOnlyMemory<byte> constantPool = bytes.Slice((int)constantsOffset, (int)constants);
        r.Skip(constants, "constants");

        var opCodes = new uint[nodeCount];
        var bodySizes = new uint[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            opCodes[i] = r.ReadUInt32($"node {i} header opcode");
            bodySizes[i] = r.ReadUInt32($"node {i} header body_size");
        }

        var nodes = new V4Node[nodeCount];
        long bodyOffset = r.FileOffset;
        for (int i = 0; i < nodeCount; i++)
        {
            uint size = bodySizes[i];
            long end = bodyOffset + size;
            bool lastShortByPadding = i == nodeCount - 1 && end > file.Length && end - file.Length < BodyAlignment;
            if (end > file.Length && !lastShortByPadding)
            {
                ThrowHelper.Truncated($"node {i} ({V4OpNames.Of(opCodes[i])}) body of {size} bytes", bodyOffset, size, file.Length);
            }

            ReadOnlyMemory<byte> body;
            if (lastShortByPadding)
            {
                // The writer seeks to the next 8-byte boundary after the last body without writing: the file may end
                // up to 7 bytes early. Those bytes read as zeros (nncase_ulffd_slim320_v4 is 4 bytes short).
                byte[] padded = new byte[size];
                file.Slice((int)bodyOffset).CopyTo(padded);
                body = padded;
            }
            else
            {
                body = bytes.Slice((int)bodyOffset, (int)size);
            }

            ctx.Index = i;
            ctx.OpCode = opCodes[i];
            ctx.Name = V4OpNames.Of(opCodes[i]);
            ctx.BodyOffset = bodyOffset;
            ctx.BodySize = (int)size;
            ctx.Body = body;
            nodes[i] = ParseNode(ctx, body.Span, bodyOffset);
            bodyOffset = end;
        }

        // Anything after the last body is data the header does not describe (maixpy_asr_v4 carries ~1 MB): ignored.
        var program = new V4Program(constantPool, (int)mainMem, inputs, inputShapes, outputs, nodes);
        var inputInfos = new TensorInfo[inputCount];
        for (int i = 0; i < inputCount; i++)
        {
            V4MemoryRange range = inputs[i];
            int byteSize = range.Memory == MemoryKind.Kpu ? (int)inputShapes[i].Elements : (int)range.Size;
            inputInfos[i] = new TensorInfo(i, range.DataType, inputShapes[i].ToArray(), byteSize, range.Memory, range.Start);
        }

        var outputInfos = new TensorInfo[outputCount];
        for (int i = 0; i < outputCount; i++)
        {
            V4MemoryRange range = outputs[i];
            outputInfos[i] = new TensorInfo(i, range.DataType, [1, 1, 1, (int)(range.Size / (uint)range.ElementSize)], (int)range.Size, range.Memory, range.Start);
        }

        var layers = nodes.Select(n => n.Describe()).ToArray();
        KeyValuePair<string, string>[] header =
        [
            new("identifier", "KMDL"),
            new("version", version.ToString()),
            new("flags", $"0x{flags:X}"),
            new("target", target == 1 ? "1 (K210)" : "0 (CPU)"),
            new("constants", constants.ToString()),
            new("main_mem", mainMem.ToString()),
            new("nodes", nodeCount.ToString()),
            new("inputs", inputCount.ToString()),
            new("outputs", outputCount.ToString()),
            new("reserved0", $"0x{reserved0:X}"),
        ];
        return new KModel(KModelFormat.V4, 4, bytes, program, inputInfos, outputInfos, layers, header, mainMem, ctx.KpuEnd);
    }

    private static void CheckInput(V4LoadContext ctx, int index, V4MemoryRange range, V4Shape shape)
    {
        string what = $"input {index}";
        if (range.Memory == MemoryKind.Constant)
        {
            ctx.Fail($"{what} {range} is in the read-only constants");
        }

        if (range.Memory == MemoryKind.Kpu)
        {
            if (range.DataType != ElementType.UInt8)
            {
                ctx.Fail($"{what} {range} is in KPU memory but not uint8");
            }

            V4KpuChecks.CheckMap(ctx, range.Start, shape, what);
        }
        else
        {
            ctx.CheckShape(shape, $"{what} shape", 0);
        }
    }

    private static V4Node ParseNode(V4LoadContext ctx, ReadOnlySpan<byte> body, long bodyOffset)
    {
        var r = new SpanReader(body, bodyOffset);
        return (V4OpCode)ctx.OpCode switch
        {
            V4OpCode.Binary => BinaryNode.Parse(ref r, ctx),
            V4OpCode.Concat => ConcatNode.Parse(ref r, ctx),
            V4OpCode.Conv2D => Conv2DNode.Parse(ref r, ctx),
            V4OpCode.Dequantize => DequantizeNode.Parse(ref r, ctx),
            V4OpCode.MatMul => MatMulNode.Parse(ref r, ctx),
            V4OpCode.Pad => PadNode.Parse(ref r, ctx),
            V4OpCode.Quantize => QuantizeNode.Parse(ref r, ctx),
            V4OpCode.Reduce => ReduceNode.Parse(ref r, ctx),
            V4OpCode.ReduceWindow2D => ReduceWindow2DNode.Parse(ref r, ctx),
            V4OpCode.MemoryCopy => MemoryCopyNode.Parse(ref r, ctx),
            V4OpCode.ResizeImage => ResizeImageNode.Parse(ref r, ctx),
            V4OpCode.Softmax => SoftmaxNode.Parse(ref r, ctx),
            V4OpCode.Transpose => TransposeNode.Parse(ref r, ctx),
            V4OpCode.StridedSlice => StridedSliceNode.Parse(ref r, ctx),
            V4OpCode.Unary => UnaryNode.Parse(ref r, ctx),
            V4OpCode.QuantizedConv2D => QuantizedConv2DNode.Parse(ref r, ctx),
            V4OpCode.QuantizedMatMul => QuantizedMatMulNode.Parse(ref r, ctx),
            V4OpCode.QuantizedBinary => QuantizedBinaryNode.Parse(ref r, ctx),
            V4OpCode.TableLookup1D => TableLookup1DNode.Parse(ref r, ctx),
            V4OpCode.Conv2DTranspose => Conv2DTransposeNode.Parse(ref r, ctx),
            V4OpCode.NnilUnaryMethod => NnilUnaryMethodNode.Parse(ref r, ctx),
            V4OpCode.CpuConv2D => CpuConv2DNode.Parse(ref r, ctx),
            V4OpCode.CpuDepthwiseConv2D => CpuDepthwiseConv2DNode.Parse(ref r, ctx),
            V4OpCode.CpuReduceWindow2D => CpuReduceWindow2DNode.Parse(ref r, ctx),
            V4OpCode.CpuQuantizedConv2D => CpuQuantizedConv2DNode.Parse(ref r, ctx),
            V4OpCode.CpuQuantizedDepthwiseConv2D => CpuQuantizedDepthwiseConv2DNode.Parse(ref r, ctx),
            V4OpCode.KpuUpload => KpuUploadNode.Parse(ref r, ctx),
            V4OpCode.KpuConv2D => KpuConv2DNode.Parse(ref r, ctx),
            _ => throw ThrowHelper.UnknownV4Opcode(ctx.OpCode, ctx.Index),
        };
    }
}
