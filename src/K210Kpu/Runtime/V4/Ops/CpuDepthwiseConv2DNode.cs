using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// cpu_depthwise_conv2d (0x1002): float32 NHWC depthwise convolution; body as cpu_conv2d without <c>out_channels</c>,
/// weights [C][KH][KW] then bias[C] (nncase v0.2.0-beta4 <c>kernels::cpu::depthwise_conv2d</c>). Runs the NHWC kernel of
/// <see cref="CpuConv2DNode"/> with one input channel per output channel.
/// </summary>
internal sealed class CpuDepthwiseConv2DNode : CpuConv2DNode
{
    private CpuDepthwiseConv2DNode(V4LoadContext context)
        : base(context)
    {
    }

    public static new CpuDepthwiseConv2DNode Parse(ref SpanReader r, V4LoadContext ctx) =>
        Fill(ref r, ctx, new CpuDepthwiseConv2DNode(ctx), depthwise: true);
}
