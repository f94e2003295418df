using System.Runtime.InteropServices;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// unary (0x0E, 36 bytes): an elementwise float32 function over <c>input.size / 4</c> elements
/// (nncase v0.2.0-beta4 <c>neutral::unary</c>). Transcendentals come from the C library, as in the reference.
/// </summary>
internal sealed class UnaryNode : V4Node
{
    internal static readonly string[] OpNames = ["abs", "ceil", "cos", "exp", "floor", "log", "neg", "rsqrt", "sin", "square"];

    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private int _op;

    private UnaryNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static UnaryNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new UnaryNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _op = (int)Math.Min(r.ReadUInt32("unary_op"), int.MaxValue),
        };
        ctx.CheckRange(n._op, 0, OpNames.Length - 1, "unary_op");
        ctx.NeedOutput(n._output, n._input.Size / 4 * 4, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> input = MemoryMarshal.Cast<byte, float>(ex.Read(_input));
        Span<float> output = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = Apply(_op, input[i]);
        }
    }

    /// <summary>unary_op_t 0..9: fabs, ceilf, cosf, expf, floorf, logf, −x, 1/sqrtf, sinf, x·x.</summary>
    internal static float Apply(int op, float a) => op switch
    {
        0 => MathF.Abs(a),
        1 => MathF.Ceiling(a),
        2 => MathF.Cos(a),
        3 => MathF.Exp(a),
        4 => MathF.Floor(a),
        5 => MathF.Log(a),
        6 => -a,
        7 => 1f / MathF.Sqrt(a),
        8 => MathF.Sin(a),
        _ => a * a,
    };

    public override LayerDescriptor Describe() =>
        RangeDescriptor([1, 1, 1, (int)(_input.Size / 4)], 0, $"{OpNames[_op]} {_input} -> {_output}");
}
