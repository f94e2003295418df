using K210Kpu.Hardware;
using K210Kpu.Kernels;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// kpu_conv2d (0x2002, variable): one KPU layer. The body holds the main-memory output range, the batch count, the 12
/// register images, then the batch-norm words, the activation table and the weights, each preceded by a skip count
/// stored in the register field that holds its address on the device (bwsx_base_addr, active_addr, para_start_addr).
/// Runs through the shared KPU pipeline <see cref="KpuConv.Run"/>: input from KPU RAM at image_src_addr, output to KPU RAM
/// at image_dst_addr always, and the dense NCHW copy to main memory when <c>main_mem_output.size != 0</c>.
/// Reference quirk (activation rounding): nncase 0.2 rounds the activation with its "banker" <c>carry_shift</c>, which moves
/// negative ties away from the floor, and picks the last segment whose start is strictly below the value; both live in the
/// shared pipeline (<c>Kernels/FixedPoint.CarryShiftBanker</c>, <c>Kernels/KpuActivation</c>).
/// </summary>
internal sealed class KpuConv2DNode : V4Node
{
    private readonly V4MemoryRange _mainOutput;
    private readonly KpuConvLayer _layer;

    private KpuConv2DNode(V4LoadContext context, V4MemoryRange mainOutput, KpuConvLayer layer)
        : base(context)
    {
        _mainOutput = mainOutput;
        _layer = layer;
    }

    /// <summary>The layer as the KPU pipeline runs it.</summary>
    public KpuConvLayer Layer => _layer;

    /// <summary>The fused main-memory output (size 0 when there is none).</summary>
    public override V4MemoryRange Output => _mainOutput;

    private V4Shape InShape => new(_layer.Batches, _layer.Arguments.InputChannels, _layer.Arguments.InputHeight, _layer.Arguments.InputWidth);

    private V4Shape OutShape => new(_layer.Batches, _layer.Arguments.OutputChannels, _layer.Arguments.OutputHeight, _layer.Arguments.OutputWidth);

    public static KpuConv2DNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        V4MemoryRange mainOutput = ctx.ReadRange(ref r, "main_mem_output");
        int batches = r.ReadInt32("batches");
        r.ReadInt32("reserved0");
        long registerOffset = r.FileOffset;
        var args = new KpuLayerArgument(r.ReadBytes(KpuLayerArgument.SizeBytes, "layer registers"));
        ctx.CheckRange(batches, 1, 1024, "batches");
        KpuConvValidator.Validate(args, batches, ctx.Index, ctx.Name, registerOffset);

        int oc = args.OutputChannels;

        // The three register "address" fields hold, in the file, the padding bytes to skip before each block.
        r.Skip(args.BwsxBaseAddr, "batch-norm padding (bwsx_base_addr)");
        KpuBatchNorm[] batchNorm = KpuTables.ReadBatchNorm(r.ReadBytes(oc * KpuTables.BatchNormBytes, "batch-norm table"), oc);

        r.Skip(args.ActiveAddr, "activation padding (active_addr)");
        long activationOffset = r.FileOffset;
        KpuActivationSegment[] activation = KpuTables.ReadActivation(r.ReadBytes(KpuTables.ActivationTableBytes, "activation table"));
        KpuConvValidator.ValidateActivation(activation, ctx.Index, ctx.Name, activationOffset);
        r.Skip(args.ParaStartAddr, "weights padding (para_start_addr)");
        ReadOnlyMemory<byte> weights = ctx.ReadMemory(ref r, KpuConvValidator.WeightBytes(args, sixteenBit: false), "weights");
        var n = new KpuConv2DNode(ctx, mainOutput, new KpuConvLayer(args, weights, false, batchNorm, activation, batches));

        V4KpuChecks.CheckMap(ctx, (long)args.ImageSrcAddr * KpuRam.RowBytes, n.InShape, "input (image_src_addr)");
        V4KpuChecks.CheckMap(ctx, (long)args.ImageDstAddr * KpuRam.RowBytes, n.OutShape, "output (image_dst_addr)");
        if (n._mainOutput.Size != 0)
        {
            ctx.NeedOutput(n._mainOutput, n._layer.OutputBytes, "main_mem_output");
        }

        return n;
    }

    public override void Run(V4Executor ex)
    {
        Span<byte> main = _mainOutput.Size != 0 ? ex.Write(_mainOutput).Slice(0, _layer.OutputBytes) : Span<byte>.Empty;
        KpuConv.Run(_layer, ex.Kpu, main, ex.Options);
    }

    /// <summary>The golden dumps store the KPU output downloaded to dense NCHW.</summary>
    public override void ReadOutput(V4Executor ex, Span<byte> destination)
    {
        KpuLayerArgument a = _layer.Arguments;
        ex.Kpu.Download(a.ImageDstAddr, a.OutputWidth, a.OutputHeight, a.OutputChannels, destination, _layer.Batches);
    }

    public override LayerDescriptor Describe()
    {
        KpuLayerArgument a = _layer.Arguments;
        string kernel = a.KernelSize == 3 ? "3x3" : "1x1";
        string main = _mainOutput.Size != 0 ? $", main copy {_mainOutput}" : string.Empty;
        return new LayerDescriptor(Index, OpCode, Name, BodyOffset, BodySize)
        {
            Kpu = KpuConvValidator.Describe(a, _mainOutput.Size != 0),
            OutputShape = OutShape.ToArray(),
            OutputType = ElementType.UInt8,
            OutputMemory = MemoryKind.Kpu,
            OutputStart = (long)a.ImageDstAddr * KpuRam.RowBytes,
            OutputBytes = _layer.OutputBytes,
            Macs = _layer.Macs,
            Details = $"KPU row {a.ImageSrcAddr} [{InShape}] -> row {a.ImageDstAddr} [{OutShape}], {kernel}{(a.DepthWiseLayer ? " depthwise" : string.Empty)}, pool {a.PoolType}, pad value {a.PadValue}{main}",
        };
    }
}
