using K210Kpu.Hardware;
using K210Kpu.Kernels;
using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>K210_CONV (10240): a KPU convolution; with <c>KLF_MAIN_MEM_OUT</c> its dense NCHW output is also copied to main memory.</summary>
internal sealed class K210ConvOp : V3Op
{
    public K210ConvOp(int index, long bodyOffset, KpuConvLayer layer, bool mainOut, long mainOutAddress)
        : base(index, V3LayerType.K210Conv, bodyOffset)
    {
        Layer = layer;
        HasMainOutput = mainOut;
        MainOutAddress = mainOutAddress;
    }

    public KpuConvLayer Layer { get; }

    public bool HasMainOutput { get; }

    public long MainOutAddress { get; }

    public override string Name => "K210Conv";

    public override ElementType OutputType => ElementType.UInt8;

    public override MemoryKind OutputMemory => MemoryKind.Kpu;

    public override long OutputStart => (long)Layer.Arguments.ImageDstAddr * KpuRam.RowBytes;

    public override int OutputBytes => Layer.OutputBytes;

    public override (long Start, int Bytes)? MainOutput => HasMainOutput ? (MainOutAddress, OutputBytes) : null;

    public override int[]? OwnOutputShape =>
        [Layer.Batches, Layer.Arguments.OutputChannels, Layer.Arguments.OutputHeight, Layer.Arguments.OutputWidth];

    public override long Macs => Layer.Macs;

    public override string Details
    {
        get
        {
            KpuLayerArgument a = Layer.Arguments;
            string main = HasMainOutput ? $", main out @{MainOutAddress}" : string.Empty;
            return $"{a.InputChannels}x{a.InputHeight}x{a.InputWidth} -> {a.OutputChannels}x{a.OutputHeight}x{a.OutputWidth}, " +
                $"{a.KernelSize}x{a.KernelSize}{(a.DepthWiseLayer ? " depthwise" : string.Empty)}, pool {a.PoolType}, " +
                $"rows {a.ImageSrcAddr} -> {a.ImageDstAddr}{main}";
        }
    }

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        if (HasMainOutput)
        {
            yield return (MainOutAddress, OutputBytes, "main-memory output");
        }
    }

    public override void Run(V3Executor executor) =>
        KpuConv.Run(Layer, executor.Ram, HasMainOutput ? executor.Bytes(MainOutAddress, OutputBytes) : Span<byte>.Empty, executor.Options);

    public override void ReadOutput(V3Executor executor, Span<byte> destination)
    {
        KpuLayerArgument a = Layer.Arguments;
        executor.Ram.Download(a.ImageDstAddr, a.OutputWidth, a.OutputHeight, a.OutputChannels, destination, Layer.Batches);
    }
}
