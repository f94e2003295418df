using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// concat (0x01, variable): byte copies of <c>inner_size · dims[i]</c> per input for each of <c>outer_size</c> outer
/// steps (nncase v0.2.0-beta4 <c>kernels::neutral::concat</c>), any datatype.
/// </summary>
internal sealed class ConcatNode : V4Node
{
    private V4MemoryRange _output;
    private long _inner;
    private long _outer;
    private V4MemoryRange[] _inputs = [];
    private int[] _dims = [];

    private ConcatNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static ConcatNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new ConcatNode(ctx)
        {
            _output = ctx.ReadRange(ref r, "output"),
            _inner = r.ReadUInt32("inner_size"),
            _outer = r.ReadUInt32("outer_size"),
        };
        uint count = r.ReadUInt32("inputs_count");
        if (count > r.Remaining / 20)
        {
            ThrowHelper.Truncated($"node {ctx.Index} (Concat): {count} inputs", r.FileOffset, (long)count * 20, r.BaseOffset + r.Length);
        }

        n._inputs = new V4MemoryRange[count];
        for (int i = 0; i < count; i++)
        {
            n._inputs[i] = ctx.ReadRange(ref r, $"inputs[{i}]");
        }

        n._dims = ctx.ReadInts(ref r, count, "dims");
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            ctx.CheckRange(n._dims[i], 0, int.MaxValue, $"dims[{i}]");
            long size = V4LoadContext.Mul(n._inner, n._dims[i]);
            ctx.Need(n._inputs[i], V4LoadContext.Mul(size, n._outer), $"inputs[{i}]");
            total = Math.Min(total + size, long.MaxValue / 4);
        }

        ctx.NeedOutput(n._output, V4LoadContext.Mul(total, n._outer), "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        Span<byte> o = ex.Write(_output);
        int cursor = 0;
        for (long oc = 0; oc < _outer; oc++)
        {
            for (int i = 0; i < _inputs.Length; i++)
            {
                int size = (int)(_inner * _dims[i]);
                // std::copy of bytes is a memmove, as CopyTo is.
                ex.Read(_inputs[i]).Slice((int)(oc * size), size).CopyTo(o.Slice(cursor, size));
                cursor += size;
            }
        }
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        null,
        0,
        $"{_inputs.Length} inputs ({string.Join(", ", _inputs.Select((x, i) => $"{x} ×{_dims[i]}"))}) -> {_output}, inner {_inner} B, outer {_outer}");
}
