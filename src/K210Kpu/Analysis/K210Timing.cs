namespace K210Kpu.Analysis;

/// <summary>
/// The constants of the K210 latency model (docs/k210-timing.md). Every value is a fit to, or a reading of,
/// a public measurement; each one names its source. The model is calibrated on kmodel V3 running under the
/// standalone SDK's <c>kpu.c</c>; its stated error for whole models is about ±15 % (<see cref="StatedRelativeError"/>).
/// </summary>
public static class K210Timing
{
    /// <summary>Default KPU clock: MaixPy's default PLL1/kpu_div = 400 MHz (prints as 398.67 MHz); the SDK demos also set PLL1 = 400 MHz.</summary>
    public const double DefaultKpuClockMHz = 400.0;

    /// <summary>Default CPU clock: MaixPy's default 400 MHz (prints as 403 MHz).</summary>
    public const double DefaultCpuClockMHz = 400.0;

    /// <summary>Lowest KPU clock MaixPy accepts (freq.set), in MHz.</summary>
    public const double MinClockMHz = 26.0;

    /// <summary>Highest KPU/CPU clock MaixPy accepts (freq.set), in MHz.</summary>
    public const double MaxClockMHz = 600.0;

    /// <summary>
    /// Fixed cost of one KPU layer, in milliseconds: CPU setup of the 12 registers, FIFO push, interrupt latency.
    /// Fit C (k210-timing §4.1) over the face-model per-layer times (kendryte/nncase#77, KPU_DEBUG, 400/400 MHz)
    /// and the Sipeed BBS topic 691 single-layer table. Taken as absolute time (not scaled with the CPU clock).
    /// </summary>
    public const double LayerFixedMilliseconds = 0.0296;

    /// <summary>
    /// KPU cycles per 64-byte KPU RAM line streamed, per output channel (depthwise: once per channel block).
    /// Fit C (k210-timing §4.1); the two data sets alone give 1.06 (face, 1×1, 8-bit) and 1.03 (BBS 691, 3×3, 16-bit).
    /// </summary>
    public const double CyclesPerLine = 1.028;

    /// <summary>KPU cycles per (input channel, output channel) weight set (depthwise: per channel). Fit C (k210-timing §4.1).</summary>
    public const double CyclesPerWeightPair = 1.20;

    /// <summary>KPU cycles per weight byte loaded (≈ 4.7 bytes per cycle). Fit C (k210-timing §4.1), driven by the 16-bit BBS 691 layers.</summary>
    public const double CyclesPerWeightByte = 0.213;

    /// <summary>
    /// Rate of the DMA that copies a conv output from the KPU to main memory (V3 SDK path, <c>KLF_MAIN_MEM_OUT</c>), bytes per second.
    /// One point only: the residual of face layer 22 (9000 bytes, kendryte/nncase#77) after the line/pair/byte terms (k210-timing §4.1, "weak").
    /// </summary>
    public const double OutputDmaBytesPerSecond = 71e6;

    /// <summary>
    /// CPU cycles per element of a CPU layer. Calibrated on the one measured CPU layer: the face model's Dequantize,
    /// 9000 elements in 0.404 ms at 400 MHz (kendryte/nncase#77; k210-timing §3). Applied to other CPU layers it is uncalibrated.
    /// </summary>
    public const double CpuCyclesPerElement = 18.0;

    /// <summary>
    /// Rate of the first-layer input upload into KPU RAM, bytes per second: 230,400 bytes (320×240×3) in 329 µs
    /// ("DMA upload took 329 us", kendryte/nncase#95; k210-timing §3). Used as a floor for widths that are not a multiple of 64,
    /// which the SDK copies with the CPU (unmeasured).
    /// </summary>
    public const double InputUploadBytesPerSecond = 230_400 / 329e-6;

    /// <summary>
    /// Stated relative error of a whole-model estimate: ±15 % for V3 models made mostly of 1×1/3×3 convs at 400 MHz
    /// (k210-timing §5: mbnet75 +6.5 % / −1.5 % against two Sipeed figures; face KPU time −14 % out of sample).
    /// Worse for ≥ 512×512-channel layers on maps ≤ 16 wide, for CPU-heavy tails and for V4 models.
    /// </summary>
    public const double StatedRelativeError = 0.15;

    /// <summary>Bytes of one KPU RAM line ("KPU deals pictures in 64 pixels every time", BBS 691; kpu-and-kmodel-v3 §1.2).</summary>
    public const int LineBytes = 64;
}
