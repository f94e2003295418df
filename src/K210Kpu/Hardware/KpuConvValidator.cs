using K210Kpu.Kernels;

namespace K210Kpu.Hardware;

/// <summary>
/// Load-time checks of one KPU convolution's registers and tables (kpu-and-kmodel-v3 §5.2), shared by every format.
/// Fields that nncase never sets and whose hardware meaning is undocumented are rejected.
/// </summary>
internal static class KpuConvValidator
{
    /// <summary>Throws <see cref="KModelValidationException"/> unless the registers describe a layer the emulator runs.</summary>
    public static void Validate(in KpuLayerArgument a, int batches, int layerIndex, string layerName, long registerOffset)
    {
        void Fail(string message) => ThrowHelper.LayerValue(layerIndex, layerName, message, registerOffset);

        if (a.KernelType > 1)
        {
            Fail($"kernel_type {a.KernelType} is not 0 (1x1) or 1 (3x3)");
        }

        if (a.PoolType > KpuPool.MaxPoolType)
        {
            Fail($"pool_type {a.PoolType} is undefined (0..9)");
        }

        if (a.PadType != 0 || a.FirstStride || a.BypassConv || a.FullAdd || a.CoefColumnOffset != 0 || a.CoefRowOffset != 0)
        {
            Fail("pad_type, first_stride, bypass_conv, full_add and coef_*_offset must be 0 (no documented meaning otherwise)");
        }

        if (a.DepthWiseLayer && a.InputChannels != a.OutputChannels)
        {
            Fail($"a depthwise layer needs equal input and output channels, got {a.InputChannels} and {a.OutputChannels}");
        }

        int expectedW = KpuPool.OutputSize(a.InputWidth, a.PoolType);
        int expectedH = KpuPool.OutputSize(a.InputHeight, a.PoolType);
        if (a.OutputWidth != expectedW || a.OutputHeight != expectedH)
        {
            Fail($"output {a.OutputWidth}x{a.OutputHeight} does not match input {a.InputWidth}x{a.InputHeight} pooled by type {a.PoolType} ({expectedW}x{expectedH})");
        }

        long inRows = (long)KpuRam.RowsFor(a.InputWidth, a.InputHeight, a.InputChannels) * batches;
        if (a.ImageSrcAddr + inRows > KpuRam.RowCount)
        {
            ThrowHelper.LayerRange(layerIndex, layerName, "input map (rows)", a.ImageSrcAddr, inRows, "KPU RAM rows", KpuRam.RowCount, registerOffset);
        }

        long outRows = (long)KpuRam.RowsFor(a.OutputWidth, a.OutputHeight, a.OutputChannels) * batches;
        if (a.ImageDstAddr + outRows > KpuRam.RowCount)
        {
            ThrowHelper.LayerRange(layerIndex, layerName, "output map (rows)", a.ImageDstAddr, outRows, "KPU RAM rows", KpuRam.RowCount, registerOffset);
        }
    }

    /// <summary>Checks the activation shifts (≤ 63).</summary>
    public static void ValidateActivation(ReadOnlySpan<KpuActivationSegment> segments, int layerIndex, string layerName, long offset)
    {
        for (int i = 0; i < segments.Length; i++)
        {
            if (segments[i].Shift > 63)
            {
                ThrowHelper.LayerValue(layerIndex, layerName, $"activation segment {i} shifts by {segments[i].Shift} (more than 63)", offset);
            }
        }
    }

    /// <summary>Bytes of the weights: (depthwise ? OC : IC·OC)·K², times 2 for 16-bit weights.</summary>
    public static long WeightBytes(in KpuLayerArgument a, bool sixteenBit) =>
        (a.DepthWiseLayer ? (long)a.OutputChannels : (long)a.InputChannels * a.OutputChannels) * a.KernelSize * a.KernelSize * (sixteenBit ? 2 : 1);

    /// <summary>The netinfo view of the registers.</summary>
    public static KpuLayerInfo Describe(in KpuLayerArgument a, bool mainOutput) => new(
        a.InputWidth,
        a.InputHeight,
        a.OutputWidth,
        a.OutputHeight,
        a.InputChannels,
        a.OutputChannels,
        a.DepthWiseLayer,
        a.KernelType,
        a.PoolType,
        a.ParaSize,
        a.PadValue,
        a.ImageSrcAddr,
        a.ImageDstAddr,
        mainOutput);
}
