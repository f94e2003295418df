using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// transpose (0x0C, 64 bytes): <c>out_shape[i] = in_shape[perm[i]]</c>, <c>out[o] = in[i]</c> with <c>i[perm[k]] = o[k]</c>;
/// element size from <c>input.datatype</c> (nncase v0.2.0-beta4 <c>kernels::neutral::transpose</c>).
/// </summary>
internal sealed class TransposeNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;
    private V4Shape _perm;

    private TransposeNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    private V4Shape OutShape => new(_inShape[_perm.D0], _inShape[_perm.D1], _inShape[_perm.D2], _inShape[_perm.D3]);

    public static TransposeNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new TransposeNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
            _perm = ctx.ReadShape(ref r, "perm"),
        };
        int seen = 0;
        for (int i = 0; i < 4; i++)
        {
            int p = n._perm[i];
            if (p < 0 || p > 3 || (seen & (1 << p)) != 0)
            {
                ctx.Fail($"perm {n._perm} is not a permutation of 0..3");
            }

            seen |= 1 << p;
        }

        long count = ctx.CheckShape(n._inShape, "in_shape");
        int es = n._input.ElementSize;
        ctx.Need(n._input, count * es, "input");
        ctx.NeedOutput(n._output, count * es, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<byte> input = ex.Read(_input);
        Span<byte> output = ex.Write(_output);
        int es = _input.ElementSize;
        V4Shape os = OutShape;
        Span<int> i = stackalloc int[4];
        Span<int> perm = [_perm.D0, _perm.D1, _perm.D2, _perm.D3];

        // Loop order of the reference: o3 outermost, o0 innermost.
        for (int o3 = 0; o3 < os.D3; o3++)
        {
            i[perm[3]] = o3;
            for (int o2 = 0; o2 < os.D2; o2++)
            {
                i[perm[2]] = o2;
                for (int o1 = 0; o1 < os.D1; o1++)
                {
                    i[perm[1]] = o1;
                    for (int o0 = 0; o0 < os.D0; o0++)
                    {
                        i[perm[0]] = o0;
                        int src = BinaryNode.Offset(_inShape, i[0], i[1], i[2], i[3]) * es;
                        int dst = BinaryNode.Offset(os, o0, o1, o2, o3) * es;
                        input.Slice(src, es).CopyTo(output.Slice(dst, es));
                    }
                }
            }
        }
    }

    public override LayerDescriptor Describe() =>
        RangeDescriptor(OutShape.ToArray(), 0, $"{_input} [{_inShape}] -> {_output} [{OutShape}], perm {_perm.D0},{_perm.D1},{_perm.D2},{_perm.D3}");
}
