using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// quantized_conv2d (0x0F, variable): grouped uint8 NCHW convolution with int32 accumulation,
/// <c>acc = bias + Σ (in + input_offset)·(w + filter_offset)</c> over valid taps, then
/// <c>clamp(mul_and_carry_shift(acc, output_mul, output_shift) + output_offset, 0, 255)</c>.
/// Note the body order: bias (int32[OC]) before weights (uint8), the reverse of conv2d
/// (nncase v0.2.0-beta4 <c>kernels::neutral::quantized_conv2d</c>).
/// </summary>
internal sealed class QuantizedConv2DNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;
    private int _groups;
    private int _outChannels;
    private V4Window _window;
    private int _inputOffset;
    private int _filterOffset;
    private int _outputMul;
    private int _outputShift;
    private int _outputOffset;
    private int[] _bias = [];
    private ReadOnlyMemory<byte> _weights;

    private QuantizedConv2DNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    private V4Shape OutShape => new(_inShape.D0, _outChannels / _groups * _groups, _window.OutputH(_inShape.D2), _window.OutputW(_inShape.D3));

    public static QuantizedConv2DNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new QuantizedConv2DNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
            _groups = r.ReadInt32("groups"),
            _outChannels = r.ReadInt32("out_channels"),
        };
        n._window = V4Window.Read(ref r, ctx);
        n._inputOffset = r.ReadInt32("input_offset");
        n._filterOffset = r.ReadInt32("filter_offset");
        n._outputMul = r.ReadInt32("output_mul");
        n._outputShift = r.ReadInt32("output_shift");
        n._outputOffset = r.ReadInt32("output_offset");
        long inCount = ctx.CheckShape(n._inShape, "in_shape");
        ctx.CheckRange(n._groups, 1, n._inShape.D1, "groups");
        ctx.CheckRange(n._outChannels, 1, (int)V4LoadContext.MaxElements, "out_channels");
        n._bias = ctx.ReadInts(ref r, n._outChannels, "bias");
        long wCount = V4LoadContext.Mul((long)n._outChannels * n._inShape.D1 / n._groups, n._window.FilterH, n._window.FilterW);
        n._weights = ctx.ReadMemory(ref r, wCount, "weights");
        ctx.Need(n._input, inCount, "input");
        ctx.NeedOutput(n._output, n.OutShape.Elements, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<byte> input = ex.Read(_input);
        Span<byte> output = ex.Write(_output);
        ReadOnlySpan<byte> weights = _weights.Span;
        V4Window w = _window;
        int inH = _inShape.D2, inW = _inShape.D3;
        int outH = w.OutputH(inH), outW = w.OutputW(inW);
        int gIc = _inShape.D1 / _groups;
        int gOc = _outChannels / _groups;
        int kArea = w.FilterH * w.FilterW;
        int o = 0;
        for (int batch = 0; batch < _inShape.D0; batch++)
        {
            int inBatch = batch * _inShape.D1 * inH * inW;
            for (int og = 0; og < _groups; og++)
            {
                int inGroup = inBatch + (og * gIc * inH * inW);
                int wGroup = og * gOc * gIc * kArea;
                for (int oc = 0; oc < gOc; oc++)
                {
                    int wOc = wGroup + (oc * gIc * kArea);
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int inYOrigin = (oy * w.StrideH) - w.PadH.Before;
                        int kyStart = NeutralMath.FilterStart(inYOrigin, w.DilationH);
                        int kyEnd = NeutralMath.FilterEnd(inYOrigin, inH, w.FilterH, w.DilationH);
                        for (int ox = 0; ox < outW; ox++)
                        {
                            int inXOrigin = (ox * w.StrideW) - w.PadW.Before;
                            int kxStart = NeutralMath.FilterStart(inXOrigin, w.DilationW);
                            int kxEnd = NeutralMath.FilterEnd(inXOrigin, inW, w.FilterW, w.DilationW);
                            int value = _bias[(og * gOc) + oc];
                            for (int ic = 0; ic < gIc; ic++)
                            {
                                int inC = inGroup + (ic * inH * inW);
                                int wIc = wOc + (ic * kArea);
                                for (int ky = kyStart; ky < kyEnd; ky++)
                                {
                                    int inRow = inC + ((inYOrigin + (w.DilationH * ky)) * inW);
                                    int wRow = wIc + (ky * w.FilterW);
                                    for (int kx = kxStart; kx < kxEnd; kx++)
                                    {
                                        // int32 arithmetic wraps, as it does (in practice) in the reference.
                                        int inV = input[inRow + inXOrigin + (w.DilationW * kx)] + _inputOffset;
                                        int wV = weights[wRow + kx] + _filterOffset;
                                        value = unchecked(value + (inV * wV));
                                    }
                                }
                            }

                            int outV = NeutralMath.MulAndCarryShift(value, _outputMul, _outputShift);
                            output[o++] = NeutralMath.ClampToByte(unchecked(outV + _outputOffset));
                        }
                    }
                }
            }
        }
    }

    public override LayerDescriptor Describe()
    {
        V4Shape os = OutShape;
        return RangeDescriptor(
            os.ToArray(),
            V4LoadContext.Mul(os.Elements, _inShape.D1 / _groups, _window.FilterH, _window.FilterW),
            $"{_input} [{_inShape}] -> {_output} [{os}], groups {_groups}, {_window}, in_off {_inputOffset}, w_off {_filterOffset}, out mul {_outputMul} shift {_outputShift} off {_outputOffset}");
    }
}
