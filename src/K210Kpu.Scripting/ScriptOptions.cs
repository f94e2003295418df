namespace K210Kpu.Scripting;

/// <summary>What a MaixPy script runs against on the desktop: pictures for the camera, flash contents, file systems, LCD output.</summary>
public sealed class ScriptOptions
{
    /// <summary>Picture files that <c>sensor.snapshot()</c> returns in order; after the last one the script ends cleanly.</summary>
    public IReadOnlyList<string> Frames { get; init; } = [];

    /// <summary>kfpkg packages (or raw images named <c>NAME@0xADDR.bin</c>) written into the emulated 16 MiB SPI flash.</summary>
    public IReadOnlyList<string> FlashPackages { get; init; } = [];

    /// <summary>Host folder that the script sees as <c>/sd</c> (null: the script's own folder).</summary>
    public string? SdDirectory { get; init; }

    /// <summary>Host folder that the script sees as <c>/flash</c> (null: the script's own folder).</summary>
    public string? FlashFsDirectory { get; init; }

    /// <summary>Where <c>lcd.display</c> output goes: a <c>.png</c> file (last frame shown) or a folder (one PNG per frame); null: nowhere.</summary>
    public string? LcdOutput { get; init; }

    /// <summary>End the script after this many snapshots (null: after the last picture).</summary>
    public int? MaxFrames { get; init; }

    /// <summary>Where the script's <c>print</c> output goes (null: <see cref="Console.Out"/>).</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Simulated milliseconds one KPU run costs when no latency estimate of the model exists.</summary>
    public double FallbackKpuMilliseconds { get; init; } = 15.0;
}
