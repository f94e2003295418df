namespace K210Kpu;

/// <summary>Where a tensor lives while a model runs.</summary>
public enum MemoryKind
{
    /// <summary>Constants inside the model file (V4 mem_const).</summary>
    Constant = 0,

    /// <summary>The CPU-side main buffer.</summary>
    Main = 1,

    /// <summary>KPU RAM (2 MiB, 64-byte row layout).</summary>
    Kpu = 2,
}
