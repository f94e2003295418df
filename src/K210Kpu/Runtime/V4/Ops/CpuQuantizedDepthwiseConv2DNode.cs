using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// cpu_quantized_depthwise_conv2d (0x1005): uint8 NHWC depthwise convolution; body as cpu_quantized_conv2d without
/// <c>out_channels</c>, weights u8[C][KH][KW] then bias i32[C]; offsets are subtracted
/// (nncase v0.2.0-beta4 <c>kernels::cpu::quantized_depthwise_conv2d</c>). Runs the kernel of <see cref="CpuQuantizedConv2DNode"/>.
/// </summary>
internal sealed class CpuQuantizedDepthwiseConv2DNode : CpuQuantizedConv2DNode
{
    private CpuQuantizedDepthwiseConv2DNode(V4LoadContext context)
        : base(context)
    {
    }

    public static new CpuQuantizedDepthwiseConv2DNode Parse(ref SpanReader r, V4LoadContext ctx) =>
        Fill(ref r, ctx, new CpuQuantizedDepthwiseConv2DNode(ctx), depthwise: true);
}
