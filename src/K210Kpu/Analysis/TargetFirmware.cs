namespace K210Kpu.Analysis;

/// <summary>The firmware that will load the model on the K210.</summary>
public enum TargetFirmware
{
    /// <summary>MaixPy (sipeed/MaixPy-v1): <c>KPU.load</c>; the model is copied into the system heap; V4 only in builds with <c>CONFIG_MICROPYTHON_KMODEL_V4_SUPPORT=y</c>.</summary>
    MaixPy = 0,

    /// <summary>A bare-metal program on the Kendryte standalone SDK (<c>kpu_load_kmodel</c>; V3 in <c>kpu.c</c>, V4 through the linked nncase 0.2 runtime).</summary>
    Sdk = 1,
}
