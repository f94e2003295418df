using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// cpu_conv2d (0x1001) and cpu_depthwise_conv2d (0x1002): float32 NHWC convolutions; output loop order N, oy, ox, oc;
/// weights [OC][KH][KW][IC] (depthwise [C][KH][KW]) then bias (nncase v0.2.0-beta4 <c>kernels::cpu::conv2d</c>,
/// <c>depthwise_conv2d</c>). Not emitted by the 0.2 compiler, but registered by its runtime.
/// </summary>
internal class CpuConv2DNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;
    private bool _depthwise;
    private int _outChannels;
    private V4Window _window;
    private V4ValueRange _activation;
    private float[] _weights = [];
    private float[] _bias = [];

    protected CpuConv2DNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    private V4Shape OutShape => new(_inShape.D0, _window.OutputH(_inShape.D1), _window.OutputW(_inShape.D2), _outChannels);

    public static CpuConv2DNode Parse(ref SpanReader r, V4LoadContext ctx) => Fill(ref r, ctx, new CpuConv2DNode(ctx), depthwise: false);

    /// <summary>Reads the body into <paramref name="n"/> (the depthwise variant has no out_channels field).</summary>
    protected static T Fill<T>(ref SpanReader r, V4LoadContext ctx, T n, bool depthwise)
        where T : CpuConv2DNode
    {
        n._depthwise = depthwise;
        n._input = ctx.ReadRange(ref r, "input");
        n._output = ctx.ReadRange(ref r, "output");
        n._inShape = ctx.ReadShape(ref r, "in_shape");
        n._outChannels = depthwise ? n._inShape.D3 : r.ReadInt32("out_channels");
        n._window = V4Window.Read(ref r, ctx);
        n._activation = ctx.ReadValueRange(ref r, "fused_activation");
        long inCount = ctx.CheckShape(n._inShape, "in_shape (NHWC)");
        ctx.CheckRange(n._outChannels, 1, (int)V4LoadContext.MaxElements, "out_channels");
        long wCount = depthwise
            ? V4LoadContext.Mul(n._inShape.D3, n._window.FilterH, n._window.FilterW)
            : V4LoadContext.Mul(n._outChannels, n._inShape.D3, n._window.FilterH, n._window.FilterW);
        n._weights = ctx.ReadFloats(ref r, wCount, "weights");
        n._bias = ctx.ReadFloats(ref r, n._outChannels, "bias");
        ctx.Need(n._input, inCount * 4, "input");
        ctx.NeedOutput(n._output, n.OutShape.Elements * 4, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> input = MemoryMarshal.Cast<byte, float>(ex.Read(_input));
        Span<float> output = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        bool fused = ex.DeviceMode;
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
                        float value = _bias[oc];
                        for (int ky = kyStart; ky < kyEnd; ky++)
                        {
                            for (int kx = kxStart; kx < kxEnd; kx++)
                            {
                                int inPix = inBatch + ((((yOrigin + (w.DilationH * ky)) * inW) + xOrigin + (w.DilationW * kx)) * inC);
                                if (_depthwise)
                                {
                                    value = NeutralMath.MulAdd(input[inPix + oc], _weights[(oc * w.FilterH * w.FilterW) + (ky * w.FilterW) + kx], value, fused);
                                }
                                else
                                {
                                    int wPix = (oc * w.FilterH * w.FilterW * inC) + (((ky * w.FilterW) + kx) * inC);
                                    for (int ic = 0; ic < inC; ic++)
                                    {
                                        value = NeutralMath.MulAdd(input[inPix + ic], _weights[wPix + ic], value, fused);
                                    }
                                }
                            }
                        }

                        output[o++] = _activation.Apply(value);
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
            $"NHWC {_input} [{_inShape}] -> {_output} [{os}]{(_depthwise ? ", depthwise" : string.Empty)}, {_window}, act {_activation}");
    }
}
