namespace K210Kpu.Analysis;

/// <summary>What to check a model against.</summary>
public sealed class ModelCheckOptions
{
    /// <summary>The firmware that will load the model (default MaixPy).</summary>
    public TargetFirmware Firmware { get; init; } = TargetFirmware.MaixPy;

    /// <summary>MaixPy only: the build has <c>CONFIG_MICROPYTHON_KMODEL_V4_SUPPORT=y</c> (the default build does not; kmodel-v4 §8).</summary>
    public bool MaixPyV4Support { get; init; }

    /// <summary>
    /// Your own figure for the memory free to hold the model copy and its main buffer, in bytes: for MaixPy the
    /// "free sys heap" that <c>KPU.memtest()</c> prints; for the SDK the RAM your program leaves free. Null: use the
    /// default budgets (<see cref="ModelCheck.MaixPyTypicalFreeHeapBytes"/> and friends).
    /// </summary>
    public long? HeapBytes { get; init; }

    /// <summary>Flash address the model will be written to (e.g. 0x300000 for <c>KPU.load(0x300000)</c>); null when it is loaded from a file system.</summary>
    public long? FlashOffset { get; init; }

    /// <summary>Size of the firmware image at flash address 0, in bytes; null: MaixPy's conventional reservation (0x000000–0x300000), unknown for the SDK.</summary>
    public long? FirmwareBytes { get; init; }

    /// <summary>SPI flash size in bytes (default 16 MiB, the size on Sipeed Maix boards).</summary>
    public long FlashBytes { get; init; } = ModelCheck.DefaultFlashBytes;

    /// <summary>Clocks for the time estimate that goes with the check.</summary>
    public LatencyOptions Latency { get; init; } = LatencyOptions.Default;

    /// <summary>The defaults: MaixPy default build, default budgets, no flash placement.</summary>
    public static ModelCheckOptions Default { get; } = new();
}
