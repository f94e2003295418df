using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// cpu_quantized_conv2d (0x1004) and cpu_quantized_depthwise_conv2d (0x1005): uint8 NHWC convolutions
/// (nncase v0.2.0-beta4 <c>kernels::cpu::quantized_conv2d</c>, <c>quantized_depthwise_conv2d</c>). Unlike the neutral
/// quantized_conv2d they <b>subtract</b> the offsets, <c>(in − input_offset)·(w − filter_offset)</c>, and store the uint8
/// weights before the int32 bias.
/// </summary>
internal class CpuQuantizedConv2DNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;
    private bool _depthwise;
    private int _outChannels;
    private V4Window _window;
    private int _inputOffset;
    private int _filterOffset;
    private int _outputMul;
    private int _outputShift;
    private int _outputOffset;
    private ReadOnlyMemory<byte> _weights;
    private int[] _bias = [];

    protected CpuQuantizedConv2DNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    private V4Shape OutShape => new(_inShape.D0, _window.OutputH(_inShape.D1), _window.OutputW(_inShape.D2), _outChannels);

    public static CpuQuantizedConv2DNode Parse(ref SpanReader r, V4LoadContext ctx) => Fill(ref r, ctx, new CpuQuantizedConv2DNode(ctx), depthwise: false);

    /// <summary>Reads the body into <paramref name="n"/> (the depthwise variant has no out_channels field).</summary>
    protected static T Fill<T>(ref SpanReader r, V4LoadContext ctx, T n, bool depthwise)
        where T : CpuQuantizedConv2DNode
    {
        n._depthwise = depthwise;
        n._input = ctx.ReadRange(ref r, "input");
        n._output = ctx.ReadRange(ref r, "output");
        n._inShape = ctx.ReadShape(ref r, "in_shape");
        n._outChannels = depthwise ? n._inShape.D3 : r.ReadInt32("out_channels");
        n._window = V4Window.Read(ref r, ctx);
        n._inputOffset = r.ReadInt32("input_offset");
        n._filterOffset = r.ReadInt32("filter_offset");
        n._outputMul = r.ReadInt32("output_mul");
        n._outputShift = r.ReadInt32("output_shift");
        n._outputOffset = r.ReadInt32("output_offset");
        long inCount = ctx.CheckShape(n._inShape, "in_shape (NHWC)");
        ctx.CheckRange(n._outChannels, 1, (int)V4LoadContext.MaxElements, "out_channels");
        long wCount = depthwise
            ? V4LoadContext.Mul(n._inShape.D3, n._window.FilterH, n._window.FilterW)
            : V4LoadContext.Mul(n._outChannels, n._inShape.D3, n._window.FilterH, n._window.FilterW);
        n._weights = ctx.ReadMemory(ref r, wCount, "weights");
        n._bias = ctx.ReadInts(ref r, n._outChannels, "bias");
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
                    for (int oc = 0; oc < _outChannels; oc++)
                    {
                        int value = _bias[oc];
                        for (int ky = kyStart; ky < kyEnd; ky++)
                        {
                            for (int kx = kxStart; kx < kxEnd; kx++)
                            {
                                int inPix = inBatch + ((((yOrigin + (w.DilationH * ky)) * inW) + xOrigin + (w.DilationW * kx)) * inC);
                                if (_depthwise)
                                {
                                    int wv = weights[(oc * w.FilterH * w.FilterW) + (ky * w.FilterW) + kx];
                                    value = unchecked(value + ((input[inPix + oc] - _inputOffset) * (wv - _filterOffset)));
                                }
                                else
                                {
                                    int wPix = (oc * w.FilterH * w.FilterW * inC) + (((ky * w.FilterW) + kx) * inC);
                                    for (int ic = 0; ic < inC; ic++)
                                    {
                                        value = unchecked(value + ((input[inPix + ic] - _inputOffset) * (weights[wPix + ic] - _filterOffset)));
                                    }
                                }
                            }
                        }

                        value = unchecked(NeutralMath.MulAndCarryShift(value, _outputMul, _outputShift) + _outputOffset);
                        output[o++] = NeutralMath.ClampToByte(value);
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
            V4LoadContext.Mul(os.Elements, _depthwise ? 1 : _inShape.D3, _window.FilterH, _window.FilterW),
            $"NHWC {_input} [{_inShape}] -> {_output} [{os}]{(_depthwise ? ", depthwise" : string.Empty)}, {_window}, in_off {_inputOffset}, w_off {_filterOffset}, out mul {_outputMul} shift {_outputShift} off {_outputOffset}");
    }
}
