namespace K210Kpu.Scripting.Bridge;

/// <summary>
/// The clock that <c>time.ticks_ms</c> reads: it starts at 0 and advances only by what the simulated board does
/// (model runs, camera frames, LCD transfers, sleeps), so a script's fps print shows K210-like figures.
/// </summary>
public sealed class SimulatedClock
{
    /// <summary>Microseconds since boot.</summary>
    public long Microseconds { get; private set; }

    /// <summary>Moves the clock on.</summary>
    public void Advance(double microseconds)
    {
        if (microseconds > 0)
        {
            Microseconds += (long)Math.Round(microseconds);
        }
    }
}
