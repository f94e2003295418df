namespace K210Kpu.Maix;

/// <summary>MaixPy's <c>sensor.set_framesize</c> constants (OpenMV's <c>framesize_t</c>); see <see cref="Sensor.SizeOf"/> for the sizes.</summary>
public enum FrameSize
{
    /// <summary>88×72.</summary>
    QQCIF = 1,

    /// <summary>176×144.</summary>
    QCIF,

    /// <summary>352×288.</summary>
    CIF,

    /// <summary>88×60.</summary>
    QQSIF,

    /// <summary>176×120.</summary>
    QSIF,

    /// <summary>352×240.</summary>
    SIF,

    /// <summary>40×30.</summary>
    QQQQVGA,

    /// <summary>80×60.</summary>
    QQQVGA,

    /// <summary>160×120.</summary>
    QQVGA,

    /// <summary>320×240 (the default).</summary>
    QVGA,

    /// <summary>640×480.</summary>
    VGA,

    /// <summary>60×40.</summary>
    HQQQVGA,

    /// <summary>120×80.</summary>
    HQQVGA,

    /// <summary>240×160.</summary>
    HQVGA,

    /// <summary>64×32.</summary>
    B64X32,

    /// <summary>64×64.</summary>
    B64X64,

    /// <summary>128×64.</summary>
    B128X64,

    /// <summary>128×128.</summary>
    B128X128,

    /// <summary>240×240.</summary>
    B240X240,

    /// <summary>128×160.</summary>
    LCD,

    /// <summary>128×160.</summary>
    QQVGA2,

    /// <summary>720×480.</summary>
    WVGA,

    /// <summary>752×480.</summary>
    WVGA2,

    /// <summary>800×600.</summary>
    SVGA,

    /// <summary>1280×1024.</summary>
    SXGA,

    /// <summary>1600×1200.</summary>
    UXGA,
}
