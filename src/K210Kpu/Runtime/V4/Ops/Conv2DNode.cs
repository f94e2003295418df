using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// conv2d (0x02, variable): grouped float32 NCHW convolution, padded taps skipped, weights [OC][IC/g][KH][KW] then
/// bias[OC] inline (nncase v0.2.0-beta4 <c>kernels::neutral::conv2d</c>). Accumulates from the bias in ic, ky, kx order.
/// </summary>
internal sealed class Conv2DNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;
    private int _groups;
    private int _outChannels;
    private V4Window _window;
    private V4ValueRange _activation;
    private float[] _weights = [];
    private float[] _bias = [];

    private Conv2DNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static Conv2DNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new Conv2DNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
            _groups = r.ReadInt32("groups"),
            _outChannels = r.ReadInt32("out_channels"),
        };
        n._window = V4Window.Read(ref r, ctx);
        n._activation = ctx.ReadValueRange(ref r, "fused_activation");
        long inCount = ctx.CheckShape(n._inShape, "in_shape");
        ctx.CheckRange(n._groups, 1, n._inShape.D1, "groups");
        ctx.CheckRange(n._outChannels, 1, (int)V4LoadContext.MaxElements, "out_channels");

        // Weight count as the reference reads it: out_channels · C / groups · KH · KW (C division after the product).
        long wCount = V4LoadContext.Mul((long)n._outChannels * n._inShape.D1 / n._groups, n._window.FilterH, n._window.FilterW);
        n._weights = ctx.ReadFloats(ref r, wCount, "weights");
        n._bias = ctx.ReadFloats(ref r, n._outChannels, "bias");
        ctx.Need(n._input, inCount * 4, "input");
        ctx.NeedOutput(n._output, n.OutputShape().Elements * 4, "output");
        return n;
    }

    private V4Shape OutputShape() => new(
        _inShape.D0,
        _outChannels / _groups * _groups,
        _window.OutputH(_inShape.D2),
        _window.OutputW(_inShape.D3));

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> input = MemoryMarshal.Cast<byte, float>(ex.Read(_input));
        Span<float> output = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        Conv(input, output, _weights, _bias, _inShape, _groups, _outChannels, _window, _activation, ex.DeviceMode);
    }

    /// <summary>The float conv2d kernel; <paramref name="fused"/> contracts <c>value += in·w</c> into a fused multiply-add.</summary>
    internal static void Conv(
        ReadOnlySpan<float> input,
        Span<float> output,
        ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias,
        V4Shape inShape,
        int groups,
        int outChannels,
        V4Window w,
        V4ValueRange activation,
        bool fused)
    {
        int inH = inShape.D2, inW = inShape.D3;
        int outH = w.OutputH(inH), outW = w.OutputW(inW);
        int gIc = inShape.D1 / groups;
        int gOc = outChannels / groups;
        int kArea = w.FilterH * w.FilterW;
        int o = 0;
        for (int batch = 0; batch < inShape.D0; batch++)
        {
            int inBatch = batch * inShape.D1 * inH * inW;
            for (int og = 0; og < groups; og++)
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
                            float value = bias[(og * gOc) + oc];
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
                                        value = NeutralMath.MulAdd(input[inRow + inXOrigin + (w.DilationW * kx)], weights[wRow + kx], value, fused);
                                    }
                                }
                            }

                            output[o++] = activation.Apply(value);
                        }
                    }
                }
            }
        }
    }

    public override LayerDescriptor Describe()
    {
        V4Shape os = OutputShape();
        long macs = V4LoadContext.Mul(os.Elements, _inShape.D1 / _groups, _window.FilterH, _window.FilterW);
        return RangeDescriptor(
            os.ToArray(),
            macs,
            $"{_input} [{_inShape}] -> {_output} [{os}], groups {_groups}, {_window}, act {_activation}");
    }
}
