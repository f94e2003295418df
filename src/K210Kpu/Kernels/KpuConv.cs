using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>
/// The KPU convolution pipeline: read input from KPU RAM → conv (1×1/3×3, normal/depthwise, offset terms) →
/// batch-norm → 16-segment activation → pool → write back to KPU RAM, and optionally the dense NCHW output
/// to main memory (kpu-and-kmodel-v3 §3; nncase v0.2.0-beta4 <c>kernels/k210/k210_kernels.h</c>).
/// </summary>
internal static class KpuConv
{
    /// <summary>
    /// Runs <paramref name="layer"/> on <paramref name="ram"/>. When <paramref name="mainOutput"/> is not empty it
    /// receives the dense NCHW uint8 output (<see cref="KpuConvLayer.OutputBytes"/> bytes).
    /// </summary>
    public static void Run(KpuConvLayer layer, KpuRam ram, Span<byte> mainOutput, RunOptions options)
    {
        throw new NotImplementedException("KPU convolution lands with the V3 work");
    }
}
