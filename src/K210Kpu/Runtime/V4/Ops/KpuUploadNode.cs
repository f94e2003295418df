using K210Kpu.Hardware;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// kpu_upload (0x2001, 48 bytes): writes a dense NCHW uint8 tensor from main memory into KPU RAM in the KPU row layout
/// (nncase v0.2.0-beta4 <c>kernels::k210::kpu_upload</c>). Only the addressed bytes are written.
/// </summary>
internal sealed class KpuUploadNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;

    private KpuUploadNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    private int Row => (int)(_output.Start / KpuRam.RowBytes);

    public static KpuUploadNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new KpuUploadNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
        };
        long count = ctx.CheckShape(n._inShape, "in_shape");
        ctx.Need(n._input, count, "input");
        if (n._output.Memory != MemoryKind.Kpu)
        {
            ctx.Fail($"output {n._output} must be in KPU memory");
        }

        V4KpuChecks.CheckMap(ctx, n._output.Start, n._inShape, "output");
        return n;
    }

    public override void Run(V4Executor ex) =>
        ex.Kpu.Upload(ex.Read(_input).Slice(0, (int)_inShape.Elements), Row, _inShape.D3, _inShape.D2, _inShape.D1, _inShape.D0);

    /// <summary>The golden dumps store KPU maps downloaded to dense NCHW.</summary>
    public override void ReadOutput(V4Executor ex, Span<byte> destination) =>
        ex.Kpu.Download(Row, _inShape.D3, _inShape.D2, _inShape.D1, destination, _inShape.D0);

    public override LayerDescriptor Describe() => new(Index, OpCode, Name, BodyOffset, BodySize)
    {
        OutputShape = _inShape.ToArray(),
        OutputType = ElementType.UInt8,
        OutputMemory = MemoryKind.Kpu,
        OutputStart = _output.Start,
        OutputBytes = (int)_inShape.Elements,
        Details = $"{_input} [{_inShape}] -> {_output} (KPU row {Row})",
    };
}
