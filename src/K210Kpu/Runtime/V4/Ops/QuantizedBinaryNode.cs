using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// quantized_binary (0x11, 136 bytes): uint8 binary op with broadcasting. Each input is rescaled with
/// <c>mul_and_carry_shift(x + offset, mul, shift)</c>, the op runs in int32 (div rounds as <c>(a + b/2) / b</c>), and the
/// result is rescaled and clamped (nncase v0.2.0-beta4 <c>kernels::neutral::quantized_binary</c>).
/// </summary>
internal sealed class QuantizedBinaryNode : V4Node
{
    private static readonly string[] OpNames = ["add", "sub", "mul", "div", "min", "max"];

    private V4MemoryRange _a;
    private V4MemoryRange _b;
    private V4MemoryRange _output;
    private int _op;
    private V4Shape _aShape;
    private V4Shape _bShape;
    private V4Shape _outShape;
    private int _aOffset;
    private int _aMul;
    private int _aShift;
    private int _bOffset;
    private int _bMul;
    private int _bShift;
    private int _outputOffset;
    private int _outputMul;
    private int _outputShift;
    private byte[]? _table;

    private QuantizedBinaryNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static QuantizedBinaryNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new QuantizedBinaryNode(ctx)
        {
            _a = ctx.ReadRange(ref r, "input_a"),
            _b = ctx.ReadRange(ref r, "input_b"),
            _output = ctx.ReadRange(ref r, "output"),
            _op = (int)Math.Min(r.ReadUInt32("binary_op"), int.MaxValue),
            _aShape = ctx.ReadShape(ref r, "in_a_shape"),
            _bShape = ctx.ReadShape(ref r, "in_b_shape"),
            _outShape = ctx.ReadShape(ref r, "out_shape"),
            _aOffset = r.ReadInt32("input_a_offset"),
            _aMul = r.ReadInt32("input_a_mul"),
            _aShift = r.ReadInt32("input_a_shift"),
            _bOffset = r.ReadInt32("input_b_offset"),
            _bMul = r.ReadInt32("input_b_mul"),
            _bShift = r.ReadInt32("input_b_shift"),

            // Reference quirk: the body stores output offset, mul, shift in that order while the kernel takes
            // (output_mul, output_shift, output_offset); fields are mapped by name, not by position.
            _outputOffset = r.ReadInt32("output_offset"),
            _outputMul = r.ReadInt32("output_mul"),
            _outputShift = r.ReadInt32("output_shift"),
        };
        ctx.CheckRange(n._op, 0, OpNames.Length - 1, "binary_op");
        long aCount = ctx.CheckShape(n._aShape, "in_a_shape");
        long bCount = ctx.CheckShape(n._bShape, "in_b_shape");
        ctx.Need(n._a, aCount, "input_a");
        ctx.Need(n._b, bCount, "input_b");
        ctx.NeedOutput(n._output, n._aShape == n._bShape ? aCount : ctx.CheckShape(n._outShape, "out_shape"), "output");
        return n;
    }

    /// <summary>
    /// Both inputs are bytes, so every op but div (which can fault) is a 256×256 table of <see cref="Compute"/>: built on
    /// the first run of a node with at least 16384 elements (so building costs at most 4 runs' worth), then one lookup per
    /// element, the same bytes. Small nodes keep computing (a file of many tiny nodes cannot make loading slow).
    /// </summary>
    private byte[]? Table(long elements)
    {
        if (_table is not null || _op == 3 || elements < 16384)
        {
            return _table;
        }

        byte[] table = new byte[256 * 256];
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                table[(a << 8) | b] = Compute((byte)a, (byte)b);
            }
        }

        _table = table;
        return table;
    }

    private byte Apply(byte av, byte bv) => _table is { } t ? t[(av << 8) | bv] : Compute(av, bv);

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<byte> a = ex.Read(_a);
        ReadOnlySpan<byte> b = ex.Read(_b);
        Span<byte> o = ex.Write(_output);
        if (_aShape == _bShape)
        {
            int count = (int)_aShape.Elements;
            if (Table(count) is { } table)
            {
                for (int i = 0; i < count; i++)
                {
                    o[i] = table[(a[i] << 8) | b[i]];
                }

                return;
            }

            for (int i = 0; i < count; i++)
            {
                o[i] = Compute(a[i], b[i]);
            }

            return;
        }

        V4Shape s = _outShape;
        Table(s.Elements);
        for (int d0 = 0; d0 < s.D0; d0++)
        {
            for (int d1 = 0; d1 < s.D1; d1++)
            {
                for (int d2 = 0; d2 < s.D2; d2++)
                {
                    for (int d3 = 0; d3 < s.D3; d3++)
                    {
                        byte av = a[BinaryNode.BroadcastOffset(_aShape, d0, d1, d2, d3)];
                        byte bv = b[BinaryNode.BroadcastOffset(_bShape, d0, d1, d2, d3)];
                        o[BinaryNode.Offset(s, d0, d1, d2, d3)] = Apply(av, bv);
                    }
                }
            }
        }
    }

    private byte Compute(byte av, byte bv)
    {
        int a = NeutralMath.MulAndCarryShift(unchecked(av + _aOffset), _aMul, _aShift);
        int b = NeutralMath.MulAndCarryShift(unchecked(bv + _bOffset), _bMul, _bShift);
        int r;
        switch (_op)
        {
            case 0:
                r = unchecked(a + b);
                break;
            case 1:
                r = unchecked(a - b);
                break;
            case 2:
                r = unchecked(a * b);
                break;
            case 3:
                if (b == 0 || (b == -1 && unchecked(a + (b / 2)) == int.MinValue))
                {
                    // The reference traps here (integer division by zero / overflow).
                    ThrowHelper.Runtime($"node {Index} (QuantizedBinary): integer division by {b}; the reference runtime crashes here");
                }

                r = unchecked(a + (b / 2)) / b;
                break;
            case 4:
                r = Math.Min(a, b);
                break;
            default:
                r = Math.Max(a, b);
                break;
        }

        int outV = NeutralMath.MulAndCarryShift(r, _outputMul, _outputShift);
        return NeutralMath.ClampToByte(unchecked(outV + _outputOffset));
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        (_aShape == _bShape ? _aShape : _outShape).ToArray(),
        0,
        $"{OpNames[_op]} {_a} [{_aShape}] (off {_aOffset} mul {_aMul} shift {_aShift}), {_b} [{_bShape}] (off {_bOffset} mul {_bMul} shift {_bShift}) -> {_output} (mul {_outputMul} shift {_outputShift} off {_outputOffset})");
}
