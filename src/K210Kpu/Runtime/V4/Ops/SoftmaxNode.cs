using System.Runtime.InteropServices;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// softmax (0x0B, 44 bytes): per row of <c>inner_size</c> floats, <c>e_i = expf((x_i − max)·beta)</c>, summed in order,
/// then <c>e_i / sum</c> (nncase v0.2.0-beta4 <c>kernels::neutral::softmax</c>).
/// </summary>
internal sealed class SoftmaxNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private int _inner;
    private int _outer;
    private float _beta;

    private SoftmaxNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static SoftmaxNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new SoftmaxNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _inner = r.ReadInt32("inner_size"),
            _outer = r.ReadInt32("outer_size"),
            _beta = r.ReadSingle("beta"),
        };
        ctx.CheckRange(n._inner, 1, (int)V4LoadContext.MaxElements, "inner_size");
        ctx.CheckRange(n._outer, 0, (int)V4LoadContext.MaxElements, "outer_size");
        long bytes = V4LoadContext.Mul(n._inner, n._outer) * 4;
        ctx.Need(n._input, bytes, "input");
        ctx.NeedOutput(n._output, bytes, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> input = MemoryMarshal.Cast<byte, float>(ex.Read(_input));
        Span<float> output = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        for (int row = 0; row < _outer; row++)
        {
            int at = row * _inner;

            // std::max_element: the first largest element under operator<.
            float max = input[at];
            for (int i = 1; i < _inner; i++)
            {
                if (max < input[at + i])
                {
                    max = input[at + i];
                }
            }

            float sum = 0;
            for (int i = 0; i < _inner; i++)
            {
                float value = MathF.Exp((input[at + i] - max) * _beta);
                sum += value;
                output[at + i] = value;
            }

            for (int i = 0; i < _inner; i++)
            {
                output[at + i] /= sum;
            }
        }
    }

    public override LayerDescriptor Describe() =>
        RangeDescriptor([1, 1, _outer, _inner], 0, $"{_input} -> {_output}, {_outer} rows of {_inner}, beta {_beta:G9}");
}
