namespace K210Kpu;

/// <summary>The container format of a loaded model.</summary>
public enum KModelFormat
{
    /// <summary>The pre-V3 format of Kendryte's old model compiler (header version 1): KPU layers only.</summary>
    Legacy = 1,

    /// <summary>kmodel V3, written by nncase 0.1.</summary>
    V3 = 3,

    /// <summary>kmodel V4, written by nncase 0.2.</summary>
    V4 = 4,
}
