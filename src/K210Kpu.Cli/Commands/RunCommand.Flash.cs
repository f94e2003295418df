using System.CommandLine;
using K210Kpu.Maix;

namespace K210Kpu.Cli.Commands;

/// <summary>The flash source of <c>kpu run</c>: a model loaded from a kfpkg written to the virtual flash, by <c>kpu.load</c> or <c>kpu.load_flash</c>.</summary>
internal static partial class RunCommand
{
    /// <summary>MaixPy's demo value for <c>spi_speed</c> (runs the SPI at 67.17 MHz).</summary>
    internal const int DefaultSpiSpeed = 60_000_000;

    /// <summary>MaixPy's demo value for <c>batch_size</c> with the double buffer.</summary>
    internal const int DefaultBatchSize = 0xC000;

    /// <summary>Parses a flash address, offset or count given as decimal, 0x hex or with a K/M suffix; it must fit a 32-bit int.</summary>
    internal static int ParseInt(string? text, string option, int fallback)
    {
        long? v = CheckOptionSet.Size(text, option);
        if (v is null)
        {
            return fallback;
        }

        return v <= int.MaxValue ? (int)v : throw CliException.Usage($"{option}: {text} is too large");
    }

    /// <summary>Where the model of a run comes from: a file, or the virtual flash (with the task that owns it).</summary>
    internal sealed class ModelSource(KModel model, string name, KpuTask? task) : IDisposable
    {
        public KModel Model { get; } = model;

        public string Name { get; } = name;

        public KpuTask? Task { get; } = task;

        /// <summary>With load_flash: streams the layer bodies from the flash for this run (as the board does every frame).</summary>
        public void BeforeRun() => Task?.StreamFromFlash(Model.Layers.Count);

        public void Report(TextWriter w)
        {
            if (Task?.FlashStreaming is { } plan)
            {
                w.WriteLine(plan.Summary());
                w.WriteLine($"  this run streamed {Task.LastFrameFlashBytes} B from flash");
            }
        }

        public void Dispose() => Task?.Dispose();
    }

    private sealed class FlashOptions
    {
        private readonly Option<string?> _flash = new("--flash") { Description = "kfpkg package to write to a virtual 16 MiB flash; the model is then loaded from it (instead of MODEL)" };
        private readonly Option<string?> _address = new("--address") { Description = "Flash address of the model in the package (e.g. 0x300000); needed with --flash" };
        private readonly Option<bool> _loadFlash = new("--load-flash") { Description = "Load as kpu.load_flash does: the model is byte-swapped in flash and streamed from it every run (non-real-time mode)" };
        private readonly Option<bool> _dual = new("--dual-buffer") { Description = "With --load-flash: is_dual_buf = 1 (read the next batch while the current one runs)" };
        private readonly Option<string?> _batch = new("--batch-size") { Description = $"With --load-flash --dual-buffer: batch_size in bytes (default 0x{DefaultBatchSize:X})" };
        private readonly Option<string?> _spi = new("--spi-speed") { Description = $"With --load-flash: spi_speed in Hz, at most 80000000 (default {DefaultSpiSpeed})" };

        public FlashOptions(Command cmd)
        {
            cmd.Options.Add(_flash);
            cmd.Options.Add(_address);
            cmd.Options.Add(_loadFlash);
            cmd.Options.Add(_dual);
            cmd.Options.Add(_batch);
            cmd.Options.Add(_spi);
        }

        public ModelSource Open(ParseResult p, string? modelPath)
        {
            string? package = p.GetValue(_flash);
            bool loadFlash = p.GetValue(_loadFlash);
            if (package is null)
            {
                if (modelPath is null)
                {
                    throw CliException.Usage("give a MODEL file, or --flash PACKAGE.kfpkg --address ADDR");
                }

                if (loadFlash || p.GetValue(_address) is not null)
                {
                    throw CliException.Usage("--load-flash and --address need --flash PACKAGE.kfpkg");
                }

                return new ModelSource(CommandRunner.LoadModel(modelPath), Path.GetFileName(modelPath), null);
            }

            if (modelPath is not null)
            {
                throw CliException.Usage("give either MODEL or --flash, not both");
            }

            if (!File.Exists(package))
            {
                throw CliException.Usage($"package not found: {package}");
            }

            int address = ParseInt(p.GetValue(_address), "--address", -1);
            if (address < 0)
            {
                throw CliException.Usage("--flash needs --address ADDR: the flash address of the model (see flash-list.json in the package)");
            }

            var flash = new Flash();
            IReadOnlyList<FlashEntry> entries = flash.WriteKfpkg(package);
            string name = entries.FirstOrDefault(e => e.Address == address)?.Name ?? $"0x{address:X}";
            bool dual = p.GetValue(_dual);
            int batch = ParseInt(p.GetValue(_batch), "--batch-size", dual ? DefaultBatchSize : 0);
            int spi = ParseInt(p.GetValue(_spi), "--spi-speed", DefaultSpiSpeed);
            if (loadFlash && (spi <= 0 || spi > FlashStreamingPlan.MaxSpiSpeedHz))
            {
                throw CliException.Usage($"--spi-speed must be 1–{FlashStreamingPlan.MaxSpiSpeedHz} Hz (MaixPy: \"the value should <= 80000000\")");
            }

            if (loadFlash && dual && batch == 0)
            {
                throw CliException.Usage("--dual-buffer needs a --batch-size above 0 (MaixPy suggests 0x4000–0x10000)");
            }

            KpuTask task;
            try
            {
                task = loadFlash ? Kpu.LoadFlash(flash, address, dual, batch, spi) : Kpu.Load(flash, address);
            }
            catch (MaixPyException e) when (!loadFlash && e.Code == KpuErrorCode.NoMemory)
            {
                throw new CliException(ExitCodes.BadModel, $"{e.Message}: the model is above the {Kpu.RealTimeModelLimitBytes}-byte real-time limit; pack it with 'kpu flash-pack --byteswap' and run it with --load-flash", e);
            }
            catch (MaixPyException e) when (loadFlash && e.Code == KpuErrorCode.KModelVersion)
            {
                throw new CliException(ExitCodes.BadModel, $"{e.Message}: load_flash needs a byte-swapped kmodel V3 at 0x{address:X} (make one with 'kpu flash-pack MODEL --address 0x{address:X} --byteswap')", e);
            }

            return new ModelSource(task.Model, $"{Path.GetFileName(package)}@{name}", task);
        }
    }
}
