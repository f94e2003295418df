using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// binary (0x00, 108 bytes): float32 add/sub/mul/div/min/max with NCHW broadcasting and a fused clamp
/// (nncase v0.2.0-beta4 <c>kernels::neutral::binary</c>).
/// </summary>
internal sealed class BinaryNode : V4Node
{
    private static readonly string[] OpNames = ["add", "sub", "mul", "div", "min", "max"];

    private V4MemoryRange _a;
    private V4MemoryRange _b;
    private V4MemoryRange _output;
    private int _op;
    private V4Shape _aShape;
    private V4Shape _bShape;
    private V4Shape _outShape;
    private V4ValueRange _activation;

    private BinaryNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static BinaryNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new BinaryNode(ctx)
        {
            _a = ctx.ReadRange(ref r, "input_a"),
            _b = ctx.ReadRange(ref r, "input_b"),
            _output = ctx.ReadRange(ref r, "output"),
            _op = (int)Math.Min(r.ReadUInt32("binary_op"), int.MaxValue),
            _aShape = ctx.ReadShape(ref r, "in_a_shape"),
            _bShape = ctx.ReadShape(ref r, "in_b_shape"),
            _outShape = ctx.ReadShape(ref r, "out_shape"),
            _activation = ctx.ReadValueRange(ref r, "fused_activation"),
        };
        ctx.CheckRange(n._op, 0, OpNames.Length - 1, "binary_op");
        long aCount = ctx.CheckShape(n._aShape, "in_a_shape");
        long bCount = ctx.CheckShape(n._bShape, "in_b_shape");
        ctx.Need(n._a, aCount * 4, "input_a");
        ctx.Need(n._b, bCount * 4, "input_b");
        if (n._aShape == n._bShape)
        {
            ctx.NeedOutput(n._output, aCount * 4, "output");
        }
        else
        {
            ctx.NeedOutput(n._output, ctx.CheckShape(n._outShape, "out_shape") * 4, "output");
        }

        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> a = MemoryMarshal.Cast<byte, float>(ex.Read(_a));
        ReadOnlySpan<float> b = MemoryMarshal.Cast<byte, float>(ex.Read(_b));
        Span<float> o = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        if (_aShape == _bShape)
        {
            // No broadcast: one flat loop over in_a_shape.
            int count = (int)_aShape.Elements;
            for (int i = 0; i < count; i++)
            {
                o[i] = _activation.Apply(Apply(_op, a[i], b[i]));
            }

            return;
        }

        V4Shape s = _outShape;
        for (int d0 = 0; d0 < s.D0; d0++)
        {
            for (int d1 = 0; d1 < s.D1; d1++)
            {
                for (int d2 = 0; d2 < s.D2; d2++)
                {
                    for (int d3 = 0; d3 < s.D3; d3++)
                    {
                        float av = a[BroadcastOffset(_aShape, d0, d1, d2, d3)];
                        float bv = b[BroadcastOffset(_bShape, d0, d1, d2, d3)];
                        o[Offset(s, d0, d1, d2, d3)] = _activation.Apply(Apply(_op, av, bv));
                    }
                }
            }
        }
    }

    /// <summary>Dense NCHW offset of (d0, d1, d2, d3) in <paramref name="s"/> (<c>kernels::offset</c>).</summary>
    internal static int Offset(V4Shape s, int d0, int d1, int d2, int d3) =>
        (((((d0 * s.D1) + d1) * s.D2) + d2) * s.D3) + d3;

    /// <summary><c>offset(shape, get_reduced_offset(index, shape))</c>: indices beyond a dimension read index 0.</summary>
    internal static int BroadcastOffset(V4Shape s, int d0, int d1, int d2, int d3) => Offset(
        s,
        d0 >= s.D0 ? 0 : d0,
        d1 >= s.D1 ? 0 : d1,
        d2 >= s.D2 ? 0 : d2,
        d3 >= s.D3 ? 0 : d3);

    private static float Apply(int op, float a, float b) => op switch
    {
        0 => a + b,
        1 => a - b,
        2 => a * b,
        3 => a / b,
        4 => NeutralMath.Min(a, b),
        _ => NeutralMath.Max(a, b),
    };

    public override LayerDescriptor Describe() => RangeDescriptor(
        (_aShape == _bShape ? _aShape : _outShape).ToArray(),
        0,
        $"{OpNames[_op]} {_a} [{_aShape}], {_b} [{_bShape}] -> {_output}, act {_activation}");
}
