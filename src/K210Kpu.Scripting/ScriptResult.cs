namespace K210Kpu.Scripting;

/// <summary>How a script run went.</summary>
public sealed class ScriptResult
{
    internal ScriptResult(int frames, int detections, int kpuRuns, TimeSpan wallTime, TimeSpan simulatedTime, string endReason)
    {
        Frames = frames;
        Detections = detections;
        KpuRuns = kpuRuns;
        WallTime = wallTime;
        SimulatedTime = simulatedTime;
        EndReason = endReason;
    }

    /// <summary>Snapshots the script took.</summary>
    public int Frames { get; }

    /// <summary>Objects <c>run_yolo2</c> returned over the whole run.</summary>
    public int Detections { get; }

    /// <summary>Model runs (<c>run_yolo2</c> and <c>forward</c>).</summary>
    public int KpuRuns { get; }

    /// <summary>Host time the run took.</summary>
    public TimeSpan WallTime { get; }

    /// <summary>Time on the simulated K210 clock that <c>time.ticks_ms</c> reads.</summary>
    public TimeSpan SimulatedTime { get; }

    /// <summary>Why the script stopped: <c>end of frames</c>, <c>no frames</c>, <c>max frames</c>, <c>finished</c>, <c>sys.exit</c> or <c>simulated time limit (24 h)</c>.</summary>
    public string EndReason { get; }
}
