using System.CommandLine;
using System.Globalization;
using K210Kpu.Imaging;
using K210Kpu.Scripting;

namespace K210Kpu.Cli.Commands;

/// <summary>
/// <c>kpu run-script SCRIPT.py [--frames DIR|FILE...] [--flash PACKAGE.kfpkg ...] [--sd DIR] [--flash-fs DIR] [--lcd OUT] [--max-frames N]</c>:
/// runs a MaixPy script unmodified, with pictures for the camera.
/// </summary>
internal static class RunScriptCommand
{
    public static Command Create()
    {
        var script = new Argument<string>("script") { Description = "MaixPy script (the main.py you would copy to the board)" };
        var frames = new Option<string[]>("--frames") { Description = "Pictures sensor.snapshot() returns, in order: files and folders (sorted by name)", AllowMultipleArgumentsPerToken = true };
        var flash = new Option<string[]>("--flash") { Description = "kfpkg packages (or NAME@0xADDR.bin files) to write into the emulated flash, for kpu.load(0x...)", AllowMultipleArgumentsPerToken = true };
        var sd = new Option<string?>("--sd") { Description = "Folder the script sees as /sd (default: the script's folder)" };
        var flashFs = new Option<string?>("--flash-fs") { Description = "Folder the script sees as /flash (default: the script's folder)" };
        var lcd = new Option<string?>("--lcd") { Description = "Where lcd.display() frames go: OUT.png (last frame) or a folder (lcd_00001.png, ...)" };
        var maxFrames = new Option<int?>("--max-frames") { Description = "Stop after this many snapshots" };
        var cmd = new Command("run-script", "Run a MaixPy (K210) script on the desktop, with pictures instead of the camera")
        {
            script, frames, flash, sd, flashFs, lcd, maxFrames,
        };
        cmd.SetAction(p => CommandRunner.Run(p, () => Execute(
            p.GetValue(script)!,
            p.GetValue(frames) ?? [],
            p.GetValue(flash) ?? [],
            p.GetValue(sd),
            p.GetValue(flashFs),
            p.GetValue(lcd),
            p.GetValue(maxFrames))));
        return cmd;
    }

    private static int Execute(string script, string[] frames, string[] flash, string? sd, string? flashFs, string? lcd, int? maxFrames)
    {
        if (!File.Exists(script))
        {
            throw CliException.Usage($"script not found: {script}");
        }

        if (maxFrames is < 0)
        {
            throw CliException.Usage("--max-frames must be 0 or more");
        }

        foreach (string f in flash)
        {
            if (!File.Exists(f))
            {
                throw CliException.Usage($"flash package not found: {f}");
            }
        }

        foreach (string? d in new[] { sd, flashFs })
        {
            if (d is not null && !Directory.Exists(d))
            {
                throw CliException.Usage($"folder not found: {d}");
            }
        }

        if (!ScriptRunner.IsAvailable(out string reason))
        {
            throw CliException.Runtime(reason);
        }

        var options = new ScriptOptions
        {
            Frames = ExpandFrames(frames),
            FlashPackages = flash,
            SdDirectory = sd,
            FlashFsDirectory = flashFs,
            LcdOutput = lcd,
            MaxFrames = maxFrames,
        };
        ScriptResult result;
        try
        {
            result = ScriptRunner.Run(script, options);
        }
        catch (ScriptFailedException ex)
        {
            Console.Out.Flush();
            Console.Error.Write(ex.PythonTraceback);
            throw CliException.Runtime($"script failed after {ex.Frames} frame(s): {ex.Message}");
        }
        catch (InvalidDataException ex)
        {
            throw CliException.Usage(ex.Message);
        }

        Console.Out.Flush();
        var inv = CultureInfo.InvariantCulture;
        Console.Error.WriteLine(string.Create(inv,
            $"kpu: {result.Frames} frame(s), {result.Detections} detection(s), {result.KpuRuns} model run(s); wall {result.WallTime.TotalSeconds:0.000} s, simulated K210 {result.SimulatedTime.TotalMilliseconds:0.0} ms; ended: {result.EndReason}"));
        return ExitCodes.Ok;
    }

    /// <summary>Files as given; folders replaced by their pictures sorted by name (ordinal).</summary>
    internal static List<string> ExpandFrames(IEnumerable<string> items)
    {
        var list = new List<string>();
        foreach (string item in items)
        {
            if (Directory.Exists(item))
            {
                list.AddRange(Directory.EnumerateFiles(item).Where(PlanarPicture.IsPicture).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(item))
            {
                list.Add(item);
            }
            else
            {
                throw CliException.Usage($"frames not found: {item}");
            }
        }

        return list;
    }
}
