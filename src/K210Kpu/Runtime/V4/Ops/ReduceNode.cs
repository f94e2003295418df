using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// reduce (0x07, 72 bytes): mean/min/max/sum of a float32 NCHW tensor into a keep-dims shape
/// (nncase v0.2.0-beta4 <c>kernels::neutral::reduce</c>).
/// </summary>
internal sealed class ReduceNode : V4Node
{
    internal static readonly string[] OpNames = ["mean", "min", "max", "sum"];

    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private int _op;
    private V4Shape _inShape;
    private V4Shape _outShape;
    private float _init;

    private ReduceNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static ReduceNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new ReduceNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _op = (int)Math.Min(r.ReadUInt32("reduce_op"), int.MaxValue),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
            _outShape = ctx.ReadShape(ref r, "out_shape"),
            _init = r.ReadSingle("init_value"),
        };
        ctx.CheckRange(n._op, 0, 3, "reduce_op");
        ctx.Need(n._input, ctx.CheckShape(n._inShape, "in_shape") * 4, "input");
        ctx.NeedOutput(n._output, ctx.CheckShape(n._outShape, "out_shape") * 4, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> input = MemoryMarshal.Cast<byte, float>(ex.Read(_input));
        Span<float> output = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        output.Slice(0, (int)_outShape.Elements).Fill(_init);
        V4Shape s = _inShape;
        for (int d0 = 0; d0 < s.D0; d0++)
        {
            for (int d1 = 0; d1 < s.D1; d1++)
            {
                for (int d2 = 0; d2 < s.D2; d2++)
                {
                    for (int d3 = 0; d3 < s.D3; d3++)
                    {
                        float a = input[BinaryNode.Offset(s, d0, d1, d2, d3)];
                        ref float b = ref output[BinaryNode.BroadcastOffset(_outShape, d0, d1, d2, d3)];
                        b = _op switch
                        {
                            1 => NeutralMath.Min(b, a),
                            2 => NeutralMath.Max(b, a),
                            _ => b + a,
                        };
                    }
                }
            }
        }

        if (_op == 0)
        {
            // Mean multiplies by (float)output.size() / input.size(): the element counts of the memory ranges,
            // not of the shapes, and the multiply runs over the whole output range.
            float mul = (float)(_output.Size / 4) / (float)(_input.Size / 4);
            for (int i = 0; i < output.Length; i++)
            {
                output[i] *= mul;
            }
        }
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        _outShape.ToArray(),
        0,
        $"{OpNames[_op]} {_input} [{_inShape}] -> {_output} [{_outShape}], init {_init:G9}");
}
