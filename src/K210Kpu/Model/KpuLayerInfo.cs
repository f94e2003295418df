namespace K210Kpu;

/// <summary>
/// The KPU registers of one convolution layer as MaixPy's <c>netinfo</c> reports them
/// (maixpy-api §7): input/output width, height and channels, depthwise flag, kernel and pool type, weight bytes per load.
/// </summary>
public sealed record KpuLayerInfo(
    int InputWidth,
    int InputHeight,
    int OutputWidth,
    int OutputHeight,
    int InputChannels,
    int OutputChannels,
    bool Depthwise,
    int KernelType,
    int PoolType,
    int ParaSize,
    int PadValue,
    int SourceRow,
    int DestinationRow,
    bool MainMemoryOutput);
