using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// matmul (0x04, variable): <c>out[r][c] = clamp(bias[c] + Σ_i a[r][i]·b[i][c])</c> in float32, i ascending, bias inline
/// (nncase v0.2.0-beta4 <c>kernels::neutral::matmul</c>).
/// </summary>
internal sealed class MatMulNode : V4Node
{
    private V4MemoryRange _a;
    private V4MemoryRange _b;
    private V4MemoryRange _output;
    private int _rows;
    private int _cols;
    private int _bCols;
    private V4ValueRange _activation;
    private float[] _bias = [];

    private MatMulNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static MatMulNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new MatMulNode(ctx)
        {
            _a = ctx.ReadRange(ref r, "input_a"),
            _b = ctx.ReadRange(ref r, "input_b"),
            _output = ctx.ReadRange(ref r, "output"),
            _rows = r.ReadInt32("a_rows"),
            _cols = r.ReadInt32("a_cols"),
            _bCols = r.ReadInt32("b_cols"),
            _activation = ctx.ReadValueRange(ref r, "fused_activation"),
        };
        int max = (int)V4LoadContext.MaxElements;
        ctx.CheckRange(n._rows, 0, max, "a_rows");
        ctx.CheckRange(n._cols, 0, max, "a_cols");
        ctx.CheckRange(n._bCols, 0, max, "b_cols");
        n._bias = ctx.ReadFloats(ref r, n._bCols, "bias");
        ctx.Need(n._a, V4LoadContext.Mul(n._rows, n._cols) * 4, "input_a");
        ctx.Need(n._b, V4LoadContext.Mul(n._cols, n._bCols) * 4, "input_b");
        ctx.NeedOutput(n._output, V4LoadContext.Mul(n._rows, n._bCols) * 4, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> a = MemoryMarshal.Cast<byte, float>(ex.Read(_a));
        ReadOnlySpan<float> b = MemoryMarshal.Cast<byte, float>(ex.Read(_b));
        Span<float> o = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        bool fused = ex.DeviceMode;
        if (!ex.Options.ForceScalar && Vector256.IsHardwareAccelerated && _bCols >= Vector256<float>.Count &&
            !ex.Read(_a).Overlaps(ex.Write(_output)) && !ex.Read(_b).Overlaps(ex.Write(_output)))
        {
            RunColumns(a, b, o, fused);
            return;
        }

        for (int oy = 0; oy < _rows; oy++)
        {
            for (int ox = 0; ox < _bCols; ox++)
            {
                float value = _bias[ox];
                for (int i = 0; i < _cols; i++)
                {
                    value = NeutralMath.MulAdd(a[(oy * _cols) + i], b[(i * _bCols) + ox], value, fused);
                }

                o[(oy * _bCols) + ox] = _activation.Apply(value);
            }
        }
    }

    /// <summary>
    /// 8 output columns at a time: each lane runs the reference's own sequence (bias, then the products in order of i,
    /// separate multiply and add, or fused in device mode), so every output is the same float; the output must not
    /// overlap the inputs (the reference writes each output before reading the next).
    /// </summary>
    private void RunColumns(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> o, bool fused)
    {
        int width = Vector256<float>.Count;
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        for (int oy = 0; oy < _rows; oy++)
        {
            ReadOnlySpan<float> row = a.Slice(oy * _cols, _cols);
            for (int ox0 = 0; ox0 < _bCols; ox0 += width)
            {
                int ox = Math.Min(ox0, _bCols - width); // the last group overlaps the previous one: same values again
                Vector256<float> value = Vector256.Create(_bias.AsSpan(ox, width));
                for (int i = 0; i < _cols; i++)
                {
                    Vector256<float> x = Vector256.Create(row[i]);
                    Vector256<float> y = Vector256.Create(b.Slice((i * _bCols) + ox, width));
                    value = fused ? Vector256.FusedMultiplyAdd(x, y, value) : (x * y) + value;
                }

                value.CopyTo(lanes);
                for (int k = 0; k < width; k++)
                {
                    o[(oy * _bCols) + ox + k] = _activation.Apply(lanes[k]);
                }
            }
        }
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        [1, 1, _rows, _bCols],
        V4LoadContext.Mul(_rows, _cols, _bCols),
        $"{_a} [{_rows}x{_cols}] · {_b} [{_cols}x{_bCols}] -> {_output}, act {_activation}");
}
