using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// cpu_reduce_window2d (0x1003, 104 bytes, the layout of reduce_window2d): float32 NHWC pooling, mean/min/max only
/// (sum is an error in the reference) (nncase v0.2.0-beta4 <c>kernels::cpu::reduce_window2d</c>).
/// </summary>
internal sealed class CpuReduceWindow2DNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private int _op;
    private V4Shape _inShape;
    private V4Window _window;
    private float _init;
    private V4ValueRange _activation;

    private CpuReduceWindow2DNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    private V4Shape OutShape => new(_inShape.D0, _window.OutputH(_inShape.D1), _window.OutputW(_inShape.D2), _inShape.D3);

    public static CpuReduceWindow2DNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new CpuReduceWindow2DNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _op = (int)Math.Min(r.ReadUInt32("reduce_op"), int.MaxValue),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
        };
        n._window = V4Window.Read(ref r, ctx);
        n._init = r.ReadSingle("init_value");
        n._activation = ctx.ReadValueRange(ref r, "fused_activation");
        ctx.CheckRange(n._op, 0, 2, "reduce_op (mean, min or max)");
        ctx.Need(n._input, ctx.CheckShape(n._inShape, "in_shape (NHWC)") * 4, "input");
        ctx.NeedOutput(n._output, n.OutShape.Elements * 4, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> input = MemoryMarshal.Cast<byte, float>(ex.Read(_input));
        Span<float> output = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        V4Window w = _window;
        int inH = _inShape.D1, inW = _inShape.D2, inC = _inShape.D3;
        int outH = w.OutputH(inH), outW = w.OutputW(inW);
        int o = 0;
        for (int batch = 0; batch < _inShape.D0; batch++)
        {
            int inBatch = batch * inH * inW * inC;
            for (int oy = 0; oy < outH; oy++)
            {
                int yOrigin = (oy * w.StrideH) - w.PadH.Before;
                int kyStart = NeutralMath.FilterStart(yOrigin, w.DilationH);
                int kyEnd = NeutralMath.FilterEnd(yOrigin, inH, w.FilterH, w.DilationH);
                for (int ox = 0; ox < outW; ox++)
                {
                    int xOrigin = (ox * w.StrideW) - w.PadW.Before;
                    int kxStart = NeutralMath.FilterStart(xOrigin, w.DilationW);
                    int kxEnd = NeutralMath.FilterEnd(xOrigin, inW, w.FilterW, w.DilationW);
                    for (int c = 0; c < inC; c++)
                    {
                        float value = _init;
                        int count = 0;
                        for (int ky = kyStart; ky < kyEnd; ky++)
                        {
                            for (int kx = kxStart; kx < kxEnd; kx++)
                            {
                                int inPix = inBatch + ((((yOrigin + (w.DilationH * ky)) * inW) + xOrigin + (w.DilationW * kx)) * inC);
                                value = ReduceWindow2DNode.Combine(_op, value, input[inPix + c]);
                                count++;
                            }
                        }

                        output[o++] = _activation.Apply(_op == 0 ? value / count : value);
                    }
                }
            }
        }
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        OutShape.ToArray(),
        // Window taps per run: not multiply-accumulates, but the work the load-time cap must see.
        V4LoadContext.Mul(OutShape.Elements, _window.FilterH, _window.FilterW),
        $"NHWC {ReduceNode.OpNames[_op]} {_input} [{_inShape}] -> {_output} [{OutShape}], {_window}, init {_init:G9}, act {_activation}");
}
