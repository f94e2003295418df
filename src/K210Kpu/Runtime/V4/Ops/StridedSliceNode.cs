using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// strided_slice (0x0D, 116 bytes): nested loops <c>d = begin; stride &gt; 0 ? d &lt; end : d &gt; end; d += stride</c> per axis,
/// output written sequentially; the five masks are ignored as in the reference (nncase v0.2.0-beta4 <c>kernels::neutral::strided_slice</c>).
/// </summary>
internal sealed class StridedSliceNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;
    private V4Shape _begin;
    private V4Shape _end;
    private V4Shape _strides;
    private int[] _counts = [];

    private StridedSliceNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static StridedSliceNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new StridedSliceNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
            _begin = ctx.ReadShape(ref r, "begin"),
            _end = ctx.ReadShape(ref r, "end"),
            _strides = ctx.ReadShape(ref r, "strides"),
        };
        for (int i = 0; i < 5; i++)
        {
            r.ReadInt32("mask");
        }

        long inCount = ctx.CheckShape(n._inShape, "in_shape");
        int es = n._input.ElementSize;
        ctx.Need(n._input, inCount * es, "input");
        n._counts = new int[4];
        for (int d = 0; d < 4; d++)
        {
            long b = n._begin[d], e = n._end[d], s = n._strides[d];
            if (s == 0)
            {
                ctx.Fail($"strides[{d}] is 0");
            }

            long count = s > 0 ? (e > b ? (e - b + s - 1) / s : 0) : (b > e ? (b - e + (-s) - 1) / -s : 0);
            if (count > n._inShape[d])
            {
                ctx.Fail($"axis {d}: begin {b}, end {e}, stride {s} visits {count} indices of {n._inShape[d]}");
            }

            n._counts[d] = (int)count;
        }

        // Every index the loops visit must lie inside the input (checked only when the loops run at all).
        if (n._counts.All(c => c > 0))
        {
            for (int d = 0; d < 4; d++)
            {
                long b = n._begin[d], s = n._strides[d];
                long last = b + ((n._counts[d] - 1) * s);
                if (b < 0 || b >= n._inShape[d] || last < 0 || last >= n._inShape[d])
                {
                    ctx.Fail($"axis {d}: begin {b}, end {n._end[d]}, stride {s} visits indices outside 0..{n._inShape[d] - 1}");
                }
            }
        }

        ctx.NeedOutput(n._output, V4LoadContext.Mul(n._counts[0], n._counts[1], n._counts[2], n._counts[3]) * es, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<byte> input = ex.Read(_input);
        Span<byte> output = ex.Write(_output);
        int es = _input.ElementSize;
        int o = 0;
        int d0 = _begin.D0;
        for (int k0 = 0; k0 < _counts[0]; k0++, d0 += _strides.D0)
        {
            int d1 = _begin.D1;
            for (int k1 = 0; k1 < _counts[1]; k1++, d1 += _strides.D1)
            {
                int d2 = _begin.D2;
                for (int k2 = 0; k2 < _counts[2]; k2++, d2 += _strides.D2)
                {
                    int d3 = _begin.D3;
                    for (int k3 = 0; k3 < _counts[3]; k3++, d3 += _strides.D3)
                    {
                        input.Slice(BinaryNode.Offset(_inShape, d0, d1, d2, d3) * es, es).CopyTo(output.Slice(o, es));
                        o += es;
                    }
                }
            }
        }
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        _counts,
        0,
        $"{_input} [{_inShape}] -> {_output} [{string.Join("x", _counts)}], begin {_begin}, end {_end}, strides {_strides}");
}
