using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// conv2d_transpose (0x13, variable): float32 transposed convolution scattering each input element into the zeroed
/// output (nncase v0.2.0-beta4 <c>kernels::neutral::conv2d_transpose</c>); weights [OC][IC/g][KH][KW], then bias[OC].
/// </summary>
internal sealed class Conv2DTransposeNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;
    private V4Shape _outShape;
    private int _groups;
    private V4Window _window;
    private V4ValueRange _activation;
    private float[] _weights = [];
    private float[] _bias = [];

    private Conv2DTransposeNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static Conv2DTransposeNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new Conv2DTransposeNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
            _outShape = ctx.ReadShape(ref r, "out_shape"),
            _groups = r.ReadInt32("groups"),
        };
        n._window = V4Window.Read(ref r, ctx);
        n._activation = ctx.ReadValueRange(ref r, "fused_activation");
        ctx.CheckShape(n._inShape, "in_shape");
        long outCount = ctx.CheckShape(n._outShape, "out_shape");
        ctx.CheckRange(n._groups, 1, Math.Min(n._inShape.D1, n._outShape.D1), "groups");
        long wCount = V4LoadContext.Mul((long)n._outShape.D1 * n._inShape.D1 / n._groups, n._window.FilterH, n._window.FilterW);
        n._weights = ctx.ReadFloats(ref r, wCount, "weights");
        n._bias = ctx.ReadFloats(ref r, n._outShape.D1, "bias");
        int gIc = n._inShape.D1 / n._groups;
        ctx.Need(n._input, V4LoadContext.Mul(n._inShape.D0, (long)n._groups * gIc, n._inShape.D2, n._inShape.D3) * 4, "input");
        long written = V4LoadContext.Mul(n._inShape.D0, n._outShape.D1, n._outShape.D2, n._outShape.D3);
        ctx.NeedOutput(n._output, Math.Max(outCount, written) * 4, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> input = MemoryMarshal.Cast<byte, float>(ex.Read(_input));
        Span<float> output = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        bool fused = ex.DeviceMode;
        V4Window w = _window;
        V4Shape os = _outShape;
        int outCount = (int)os.Elements;
        output.Slice(0, outCount).Clear();
        int gIc = _inShape.D1 / _groups;
        int gOc = os.D1 / _groups;
        int kArea = w.FilterH * w.FilterW;
        int plane = os.D2 * os.D3;
        int inIndex = 0;
        for (int batch = 0; batch < _inShape.D0; batch++)
        {
            int outBatch = batch * os.D1 * plane;
            for (int g = 0; g < _groups; g++)
            {
                int outGroup = outBatch + (g * gOc * plane);
                int wGroup = g * gOc * gIc * kArea;
                for (int ic = 0; ic < gIc; ic++)
                {
                    for (int iy = 0; iy < _inShape.D2; iy++)
                    {
                        for (int ix = 0; ix < _inShape.D3; ix++)
                        {
                            int outYOrigin = (iy * w.StrideH) - w.PadH.Before;
                            int outXOrigin = (ix * w.StrideW) - w.PadW.Before;
                            int kyStart = NeutralMath.FilterStart(outYOrigin, w.DilationH);
                            int kyEnd = NeutralMath.FilterEnd(outYOrigin, os.D2, w.FilterH, w.DilationH);
                            int kxStart = NeutralMath.FilterStart(outXOrigin, w.DilationW);
                            int kxEnd = NeutralMath.FilterEnd(outXOrigin, os.D3, w.FilterW, w.DilationW);

                            // The input is consumed sequentially (N, group·IC/g, H, W), as the reference's *input++.
                            float inV = input[inIndex++];
                            for (int oc = 0; oc < gOc; oc++)
                            {
                                // Reference quirk: the reference loads bias[g·g_oc + oc] here but never adds it,
                                // so conv2d_transpose ignores its bias.
                                int outC = outGroup + (oc * plane);
                                int wIc = wGroup + (oc * gIc * kArea) + (ic * kArea);
                                for (int ky = kyStart; ky < kyEnd; ky++)
                                {
                                    int outRow = outC + ((outYOrigin + (w.DilationH * ky)) * os.D3);
                                    for (int kx = kxStart; kx < kxEnd; kx++)
                                    {
                                        ref float dst = ref output[outRow + outXOrigin + (w.DilationW * kx)];
                                        dst = NeutralMath.MulAdd(inV, _weights[wIc + (ky * w.FilterW) + kx], dst, fused);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        if (!_activation.IsFull)
        {
            for (int i = 0; i < outCount; i++)
            {
                output[i] = _activation.Apply(output[i]);
            }
        }
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        _outShape.ToArray(),
        V4LoadContext.Mul(_inShape.Elements, _outShape.D1 / _groups, _window.FilterH, _window.FilterW),
        $"{_input} [{_inShape}] -> {_output} [{_outShape}], groups {_groups}, {_window}, act {_activation} (bias ignored)");
}
