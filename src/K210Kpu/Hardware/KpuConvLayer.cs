namespace K210Kpu.Hardware;

/// <summary>
/// Everything the KPU needs to run one convolution layer: the registers, the weights (a slice of the model file),
/// the per-channel batch-norm words and the activation table, already decoded and validated at load time.
/// Shared by the V3, V4 and legacy readers: one chip, several file formats.
/// </summary>
internal sealed class KpuConvLayer
{
    public KpuConvLayer(
        KpuLayerArgument arguments,
        ReadOnlyMemory<byte> weights,
        bool sixteenBitWeights,
        KpuBatchNorm[] batchNorm,
        KpuActivationSegment[] activation,
        int batches = 1)
    {
        Arguments = arguments;
        Weights = weights;
        SixteenBitWeights = sixteenBitWeights;
        BatchNorm = batchNorm;
        Activation = activation;
        Batches = batches;
    }

    /// <summary>The 12 registers.</summary>
    public KpuLayerArgument Arguments { get; }

    /// <summary>Weights: [oc][ic][ky][kx] (depthwise [c][ky][kx]), uint8, or uint16 LE when <see cref="SixteenBitWeights"/>.</summary>
    public ReadOnlyMemory<byte> Weights { get; }

    /// <summary>True for nncase 0.1's 16-bit weight mode (V3 header flags bit 0 clear).</summary>
    public bool SixteenBitWeights { get; }

    /// <summary>One entry per output channel.</summary>
    public KpuBatchNorm[] BatchNorm { get; }

    /// <summary>The 16 activation segments.</summary>
    public KpuActivationSegment[] Activation { get; }

    /// <summary>Batches (V4 <c>batches</c>; 1 elsewhere).</summary>
    public int Batches { get; }

    /// <summary>Multiply-accumulates of one run: Win·Hin·OC·K²·(depthwise ? 1 : IC)·batches.</summary>
    public long Macs
    {
        get
        {
            KpuLayerArgument a = Arguments;
            long k2 = a.KernelSize * a.KernelSize;
            return (long)a.InputWidth * a.InputHeight * a.OutputChannels * k2 * (a.DepthWiseLayer ? 1 : a.InputChannels) * Batches;
        }
    }

    /// <summary>Bytes of the dense NCHW output (all batches).</summary>
    public int OutputBytes => Arguments.OutputWidth * Arguments.OutputHeight * Arguments.OutputChannels * Batches;
}
