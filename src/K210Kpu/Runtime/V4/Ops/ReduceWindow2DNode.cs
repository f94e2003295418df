using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// reduce_window2d (0x08, 104 bytes): float32 NCHW pooling (mean/min/max/sum) over valid taps only; mean divides
/// by the number of valid taps (nncase v0.2.0-beta4 <c>kernels::neutral::reduce_window2d</c>).
/// </summary>
internal sealed class ReduceWindow2DNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private int _op;
    private V4Shape _inShape;
    private V4Window _window;
    private float _init;
    private V4ValueRange _activation;

    private ReduceWindow2DNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    private V4Shape OutShape => new(_inShape.D0, _inShape.D1, _window.OutputH(_inShape.D2), _window.OutputW(_inShape.D3));

    public static ReduceWindow2DNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new ReduceWindow2DNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _op = (int)Math.Min(r.ReadUInt32("reduce_op"), int.MaxValue),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
        };
        n._window = V4Window.Read(ref r, ctx);
        n._init = r.ReadSingle("init_value");
        n._activation = ctx.ReadValueRange(ref r, "fused_activation");
        ctx.CheckRange(n._op, 0, 3, "reduce_op");
        ctx.Need(n._input, ctx.CheckShape(n._inShape, "in_shape") * 4, "input");
        ctx.NeedOutput(n._output, n.OutShape.Elements * 4, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> input = MemoryMarshal.Cast<byte, float>(ex.Read(_input));
        Span<float> output = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        V4Shape s = _inShape;
        V4Shape os = OutShape;
        V4Window w = _window;
        for (int batch = 0; batch < s.D0; batch++)
        {
            for (int c = 0; c < s.D1; c++)
            {
                for (int oy = 0; oy < os.D2; oy++)
                {
                    int yOrigin = (oy * w.StrideH) - w.PadH.Before;
                    int kyStart = NeutralMath.FilterStart(yOrigin, w.DilationH);
                    int kyEnd = NeutralMath.FilterEnd(yOrigin, s.D2, w.FilterH, w.DilationH);
                    for (int ox = 0; ox < os.D3; ox++)
                    {
                        int xOrigin = (ox * w.StrideW) - w.PadW.Before;
                        int kxStart = NeutralMath.FilterStart(xOrigin, w.DilationW);
                        int kxEnd = NeutralMath.FilterEnd(xOrigin, s.D3, w.FilterW, w.DilationW);
                        float value = _init;
                        int count = 0;
                        for (int ky = kyStart; ky < kyEnd; ky++)
                        {
                            for (int kx = kxStart; kx < kxEnd; kx++)
                            {
                                float v = input[BinaryNode.Offset(s, batch, c, yOrigin + (w.DilationH * ky), xOrigin + (w.DilationW * kx))];
                                value = Combine(_op, value, v);
                                count++;
                            }
                        }

                        output[BinaryNode.Offset(os, batch, c, oy, ox)] = _activation.Apply(_op == 0 ? value / count : value);
                    }
                }
            }
        }
    }

    /// <summary>The reduce_op binary step: mean and sum add, min/max use std::min/max.</summary>
    internal static float Combine(int op, float acc, float v) => op switch
    {
        1 => NeutralMath.Min(acc, v),
        2 => NeutralMath.Max(acc, v),
        _ => acc + v,
    };

    public override LayerDescriptor Describe() => RangeDescriptor(
        OutShape.ToArray(),
        // Window taps per run: not multiply-accumulates, but the work the load-time cap must see.
        V4LoadContext.Mul(OutShape.Elements, _window.FilterH, _window.FilterW),
        $"{ReduceNode.OpNames[_op]} {_input} [{_inShape}] -> {_output} [{OutShape}], {_window}, init {_init:G9}, act {_activation}");
}
