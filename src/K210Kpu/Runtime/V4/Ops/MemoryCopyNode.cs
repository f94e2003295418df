using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// memory_copy (0x09, 32 bytes): copies the input range to the output range.
/// </summary>
internal sealed class MemoryCopyNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;

    private MemoryCopyNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    /// <summary>
    /// Bytes copied. Reference quirk (nncase v0.2.0-beta4 <c>neutral::memory_copy</c>): both ranges are viewed as float
    /// and <c>input.size / 4</c> floats are copied, so the trailing <c>size % 4</c> bytes are dropped.
    /// </summary>
    private int CopyBytes => (int)(_input.Size / 4 * 4);

    public static MemoryCopyNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new MemoryCopyNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
        };
        ctx.NeedOutput(n._output, n.CopyBytes, "output");
        return n;
    }

    public override void Run(V4Executor ex) =>
        ex.Read(_input).Slice(0, CopyBytes).CopyTo(ex.Write(_output));

    public override LayerDescriptor Describe() =>
        RangeDescriptor(null, 0, $"{_input} -> {_output}, {CopyBytes} bytes copied");
}
