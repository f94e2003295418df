using System.CommandLine;
using System.Globalization;
using K210Kpu.Analysis;

namespace K210Kpu.Cli.Commands;

/// <summary>The options <c>kpu check</c> and <c>kpu report</c> share: firmware, budgets, flash placement, clocks.</summary>
internal sealed class CheckOptionSet
{
    public Option<string> Firmware { get; } = new("--firmware") { Description = "Firmware that loads the model: maixpy or sdk", DefaultValueFactory = _ => "maixpy" };

    public Option<bool> V4Support { get; } = new("--v4-support") { Description = "The MaixPy build has CONFIG_MICROPYTHON_KMODEL_V4_SUPPORT=y" };

    public Option<string?> Heap { get; } = new("--heap") { Description = "Free memory for the model, in bytes (e.g. 2052K, 0x200000): MaixPy's 'free sys heap' from KPU.memtest()" };

    public Option<string?> FlashOffset { get; } = new("--flash-offset") { Description = "Flash address the model will be written to (e.g. 0x300000)" };

    public Option<string?> FirmwareSize { get; } = new("--firmware-size") { Description = "Size of the firmware image at address 0, in bytes (e.g. 1.8M)" };

    public Option<string> FlashSize { get; } = new("--flash-size") { Description = "SPI flash size in bytes", DefaultValueFactory = _ => "16M" };

    public Option<double> KpuMHz { get; } = new("--kpu-mhz") { Description = "KPU clock for the time estimate (MaixPy default 400; Maixduino 300)", DefaultValueFactory = _ => K210Timing.DefaultKpuClockMHz };

    public Option<double> CpuMHz { get; } = new("--cpu-mhz") { Description = "CPU clock for the time estimate", DefaultValueFactory = _ => K210Timing.DefaultCpuClockMHz };

    public void AddTo(Command command)
    {
        command.Options.Add(Firmware);
        command.Options.Add(V4Support);
        command.Options.Add(Heap);
        command.Options.Add(FlashOffset);
        command.Options.Add(FirmwareSize);
        command.Options.Add(FlashSize);
        command.Options.Add(KpuMHz);
        command.Options.Add(CpuMHz);
    }

    public ModelCheckOptions Read(ParseResult p)
    {
        string fw = p.GetValue(Firmware) ?? "maixpy";
        TargetFirmware firmware = fw.ToLowerInvariant() switch
        {
            "maixpy" => TargetFirmware.MaixPy,
            "sdk" => TargetFirmware.Sdk,
            _ => throw CliException.Usage($"--firmware must be maixpy or sdk, not '{fw}'"),
        };
        double kpu = p.GetValue(KpuMHz), cpu = p.GetValue(CpuMHz);
        if (!(kpu >= K210Timing.MinClockMHz && kpu <= K210Timing.MaxClockMHz) || !(cpu >= K210Timing.MinClockMHz && cpu <= K210Timing.MaxClockMHz))
        {
            throw CliException.Usage($"--kpu-mhz and --cpu-mhz must be {K210Timing.MinClockMHz}–{K210Timing.MaxClockMHz}");
        }

        return new ModelCheckOptions
        {
            Firmware = firmware,
            MaixPyV4Support = p.GetValue(V4Support),
            HeapBytes = Size(p.GetValue(Heap), "--heap"),
            FlashOffset = Size(p.GetValue(FlashOffset), "--flash-offset"),
            FirmwareBytes = Size(p.GetValue(FirmwareSize), "--firmware-size"),
            FlashBytes = Size(p.GetValue(FlashSize), "--flash-size") is { } f && f > 0 ? f : throw CliException.Usage("--flash-size must be positive"),
            Latency = new LatencyOptions { KpuClockMHz = kpu, CpuClockMHz = cpu },
        };
    }

    /// <summary>Parses a byte count: decimal, 0x hex, or a number with a K/M suffix (×1024, ×1024²).</summary>
    internal static long? Size(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string t = text.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return long.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long hex) && hex >= 0
                ? hex
                : throw CliException.Usage($"{option}: '{text}' is not a byte count");
        }

        double scale = 1;
        char last = char.ToUpperInvariant(t[^1]);
        if (last is 'K' or 'M')
        {
            scale = last == 'K' ? 1024 : 1024 * 1024;
            t = t[..^1];
        }

        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) || v < 0 || v * scale > long.MaxValue / 2)
        {
            throw CliException.Usage($"{option}: '{text}' is not a byte count (use e.g. 3145728, 0x300000, 2052K or 3.5M)");
        }

        return (long)Math.Round(v * scale);
    }
}
