using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// quantized_matmul (0x10, variable): <c>acc = bias[c] + Σ (a + a_off)·(b + b_off)</c> in int32, then
/// <c>clamp(mul_and_carry_shift(acc, output_mul, output_shift) + output_offset, 0, 255)</c>
/// (nncase v0.2.0-beta4 <c>kernels::neutral::quantized_matmul</c>).
/// </summary>
internal sealed class QuantizedMatMulNode : V4Node
{
    private V4MemoryRange _a;
    private V4MemoryRange _b;
    private V4MemoryRange _output;
    private int _rows;
    private int _cols;
    private int _bCols;
    private int _aOffset;
    private int _bOffset;
    private int _outputMul;
    private int _outputShift;
    private int _outputOffset;
    private int[] _bias = [];

    private QuantizedMatMulNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static QuantizedMatMulNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new QuantizedMatMulNode(ctx)
        {
            _a = ctx.ReadRange(ref r, "input_a"),
            _b = ctx.ReadRange(ref r, "input_b"),
            _output = ctx.ReadRange(ref r, "output"),
            _rows = r.ReadInt32("a_rows"),
            _cols = r.ReadInt32("a_cols"),
            _bCols = r.ReadInt32("b_cols"),
            _aOffset = r.ReadInt32("input_a_offset"),
            _bOffset = r.ReadInt32("input_b_offset"),
            _outputMul = r.ReadInt32("output_mul"),
            _outputShift = r.ReadInt32("output_shift"),
            _outputOffset = r.ReadInt32("output_offset"),
        };
        int max = (int)V4LoadContext.MaxElements;
        ctx.CheckRange(n._rows, 0, max, "a_rows");
        ctx.CheckRange(n._cols, 0, max, "a_cols");
        ctx.CheckRange(n._bCols, 0, max, "b_cols");
        n._bias = ctx.ReadInts(ref r, n._bCols, "bias");
        ctx.Need(n._a, V4LoadContext.Mul(n._rows, n._cols), "input_a");
        ctx.Need(n._b, V4LoadContext.Mul(n._cols, n._bCols), "input_b");
        ctx.NeedOutput(n._output, V4LoadContext.Mul(n._rows, n._bCols), "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<byte> a = ex.Read(_a);
        ReadOnlySpan<byte> b = ex.Read(_b);
        Span<byte> o = ex.Write(_output);
        for (int oy = 0; oy < _rows; oy++)
        {
            for (int ox = 0; ox < _bCols; ox++)
            {
                int value = _bias[ox];
                for (int i = 0; i < _cols; i++)
                {
                    int av = a[(oy * _cols) + i] + _aOffset;
                    int bv = b[(i * _bCols) + ox] + _bOffset;
                    value = unchecked(value + (av * bv));
                }

                int outV = NeutralMath.MulAndCarryShift(value, _outputMul, _outputShift);
                o[(oy * _bCols) + ox] = NeutralMath.ClampToByte(unchecked(outV + _outputOffset));
            }
        }
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        [1, 1, _rows, _bCols],
        V4LoadContext.Mul(_rows, _cols, _bCols),
        $"{_a} [{_rows}x{_cols}] · {_b} [{_cols}x{_bCols}] -> {_output}, a_off {_aOffset}, b_off {_bOffset}, out mul {_outputMul} shift {_outputShift} off {_outputOffset}");
}
