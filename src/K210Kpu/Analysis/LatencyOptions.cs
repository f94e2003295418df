namespace K210Kpu.Analysis;

/// <summary>Clocks for a latency estimate.</summary>
public sealed class LatencyOptions
{
    /// <summary>KPU clock in MHz (default 400, MaixPy's default; Maixduino runs 300). Must be in 26–600.</summary>
    public double KpuClockMHz { get; init; } = K210Timing.DefaultKpuClockMHz;

    /// <summary>CPU clock in MHz (default 400). Must be in 26–600.</summary>
    public double CpuClockMHz { get; init; } = K210Timing.DefaultCpuClockMHz;

    /// <summary>The defaults: KPU and CPU at 400 MHz.</summary>
    public static LatencyOptions Default { get; } = new();

    internal void Validate()
    {
        if (!(KpuClockMHz >= K210Timing.MinClockMHz && KpuClockMHz <= K210Timing.MaxClockMHz))
        {
            throw new ArgumentOutOfRangeException(nameof(KpuClockMHz), KpuClockMHz, $"the KPU clock must be {K210Timing.MinClockMHz}–{K210Timing.MaxClockMHz} MHz");
        }

        if (!(CpuClockMHz >= K210Timing.MinClockMHz && CpuClockMHz <= K210Timing.MaxClockMHz))
        {
            throw new ArgumentOutOfRangeException(nameof(CpuClockMHz), CpuClockMHz, $"the CPU clock must be {K210Timing.MinClockMHz}–{K210Timing.MaxClockMHz} MHz");
        }
    }
}
