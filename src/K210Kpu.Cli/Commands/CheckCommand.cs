using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using K210Kpu.Analysis;

namespace K210Kpu.Cli.Commands;

/// <summary>
/// <c>kpu check MODEL [--firmware maixpy|sdk] [--heap N] [--flash-offset A] [--layers] [--json]</c>: will the model fit and run
/// on a K210, and how long will it take (docs/kpu-check.md). Exit code 0 ok, 4 warning, 5 will fail.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "kmodel file (any file: one that does not load is reported as 'will fail')" };
        var layers = new Option<bool>("--layers") { Description = "Also print the estimated time of every layer" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var set = new CheckOptionSet();
        var cmd = new Command("check", "Will the model fit and run on a K210, and how fast? Exit code 0 ok, 4 warning, 5 will fail") { model, layers, json };
        set.AddTo(cmd);
        cmd.SetAction(p => CommandRunner.Run(p, () =>
        {
            string path = p.GetValue(model)!;
            if (!File.Exists(path))
            {
                throw CliException.Usage($"model file not found: {path}");
            }

            ModelCheckOptions options = set.Read(p);
            if (IsKfpkg(path))
            {
                return CheckPackage(path, options, p.GetValue(layers), p.GetValue(json));
            }

            ModelCheckResult r = ModelCheck.CheckFile(path, options);
            Console.Out.Write(p.GetValue(json)
                ? ToJson(Path.GetFileName(path), r).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"
                : ToText(Path.GetFileName(path), r, p.GetValue(layers)));
            return r.ExitCode;
        }));
        return cmd;
    }

    private static bool IsKfpkg(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using FileStream fs = File.OpenRead(path);
        return fs.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
    }

    /// <summary>
    /// A kfpkg flash package: every kmodel in it is checked at the address its flash-list.json gives; a firmware
    /// entry (sha256Prefix, written at 0) sets the firmware size. Other entries are listed and not judged.
    /// </summary>
    private static int CheckPackage(string path, ModelCheckOptions options, bool layers, bool json)
    {
        var flash = new K210Kpu.Maix.Flash();
        IReadOnlyList<K210Kpu.Maix.FlashEntry> entries;
        try
        {
            entries = flash.WriteKfpkg(path);
        }
        catch (KModelException ex)
        {
            throw new CliException(ExitCodes.BadModel, $"{Path.GetFileName(path)}: {ex.Message}", ex);
        }

        long? firmware = options.FirmwareBytes ?? entries.Where(e => e.Sha256Prefix && e.Address == 0).Select(e => (long?)e.Length).FirstOrDefault();
        var results = new List<(K210Kpu.Maix.FlashEntry Entry, ModelCheckResult? Result, string What)>();
        foreach (K210Kpu.Maix.FlashEntry e in entries)
        {
            byte[] bytes = flash.Read(e.Address, e.Length).ToArray();
            string what = KModel.Describe(bytes);
            bool model = !e.Sha256Prefix && (what.StartsWith("kmodel", StringComparison.Ordinal) || what.StartsWith("legacy kmodel", StringComparison.Ordinal));
            if (!model && bytes.Length >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 3)
            {
                what = "a kmodel V3 stored big-endian for kpu.load_flash (model_le2be.py)";
            }

            ModelCheckResult? r = model
                ? ModelCheck.Check(bytes, new ModelCheckOptions
                {
                    Firmware = options.Firmware,
                    MaixPyV4Support = options.MaixPyV4Support,
                    HeapBytes = options.HeapBytes,
                    FlashOffset = e.Address,
                    FirmwareBytes = firmware,
                    FlashBytes = options.FlashBytes,
                    Latency = options.Latency,
                })
                : null;
            results.Add((e, r, e.Sha256Prefix ? "firmware image (sha256Prefix)" : what));
        }

        CheckVerdict worst = results.Where(x => x.Result is not null).Select(x => x.Result!.Verdict).DefaultIfEmpty(CheckVerdict.Ok).Max();
        int exit = ModelCheck.ExitCodeFor(worst);
        string name = Path.GetFileName(path);
        if (json)
        {
            var arr = new JsonArray(results.Select(x => (JsonNode)new JsonObject
            {
                ["bin"] = x.Entry.Name,
                ["address"] = x.Entry.Address,
                ["bytes"] = x.Entry.Length,
                ["what"] = x.What,
                ["check"] = x.Result is null ? null : ToJson(x.Entry.Name, x.Result),
            }).ToArray());
            var root = new JsonObject { ["file"] = name, ["verdict"] = Verdict(worst), ["exit_code"] = exit, ["entries"] = arr };
            Console.Out.Write(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return exit;
        }

        Console.Out.WriteLine($"{name}: kfpkg with {entries.Count} file(s)");
        foreach (var x in results)
        {
            if (x.Result is null)
            {
                Console.Out.WriteLine($"{x.Entry.Name} at 0x{x.Entry.Address:X6}, {x.Entry.Length} bytes: {x.What}; not checked");
                continue;
            }

            Console.Out.Write(ToText($"{x.Entry.Name} at 0x{x.Entry.Address:X6}", x.Result, layers));
        }

        Console.Out.WriteLine($"{name}: {Verdict(worst)}, exit code {exit}");
        return exit;
    }

    internal static string ToText(string name, ModelCheckResult r, bool layers)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"{name}: {Verdict(r.Verdict).ToUpperInvariant()} on {(r.Firmware == TargetFirmware.MaixPy ? "MaixPy" : "the standalone SDK")} ({r.Description}, {r.FileBytes} bytes)");
        foreach (CheckFinding f in r.Findings)
        {
            sb.AppendLine(inv, $"  {Verdict(f.Verdict),-9} {f.Code,-11} {f.Message}");
        }

        if (layers && r.Estimate is { } e)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"{"index",5} {"type",-24} {"unit",4} {"MACs",13} {"est. ms",9} {"share",6} {"GMAC/s",7}  why");
            foreach (LayerLatency l in e.Layers)
            {
                double share = e.ModelMilliseconds > 0 ? l.Milliseconds / e.ModelMilliseconds : 0;
                sb.AppendLine(inv, $"{l.Index,5} {l.Name,-24} {(l.Unit == ExecutionUnit.Kpu ? "KPU" : "CPU"),4} {l.Macs,13:N0} {l.Milliseconds,8:0.000}{(l.Calibrated ? " " : "*")} {share,6:P0} {l.EffectiveGmacPerSecond,7:0.0}  {l.Note}");
            }

            sb.AppendLine(inv, $"{"",5} {"total",-24} {"",4} {e.TotalMacs,13:N0} {e.ModelMilliseconds,8:0.000}  (±{e.RelativeError:P0}; KPU {e.KpuMilliseconds:0.00} + output DMA {e.OutputDmaMilliseconds:0.00} + CPU {e.CpuMilliseconds:0.00} ms; input upload {e.InputUploadMilliseconds:0.00} ms more)");
            sb.AppendLine("  * extrapolated beyond the measurements the timing model was fitted to (docs/k210-timing.md)");
            foreach (string note in e.Notes)
            {
                sb.AppendLine(inv, $"  note: {note}");
            }
        }

        sb.AppendLine(inv, $"exit code {r.ExitCode} ({Verdict(r.Verdict)})");
        return sb.ToString();
    }

    internal static JsonObject ToJson(string name, ModelCheckResult r)
    {
        var findings = new JsonArray();
        foreach (CheckFinding f in r.Findings)
        {
            findings.Add(new JsonObject
            {
                ["code"] = f.Code,
                ["verdict"] = Verdict(f.Verdict),
                ["message"] = f.Message,
                ["source"] = f.Source,
                ["layer"] = f.LayerIndex,
            });
        }

        JsonObject? estimate = null;
        if (r.Estimate is { } e)
        {
            estimate = new JsonObject
            {
                ["kpu_mhz"] = e.KpuClockMHz,
                ["cpu_mhz"] = e.CpuClockMHz,
                ["model_ms"] = Math.Round(e.ModelMilliseconds, 4),
                ["kpu_ms"] = Math.Round(e.KpuMilliseconds, 4),
                ["output_dma_ms"] = Math.Round(e.OutputDmaMilliseconds, 4),
                ["cpu_ms"] = Math.Round(e.CpuMilliseconds, 4),
                ["input_upload_ms"] = Math.Round(e.InputUploadMilliseconds, 4),
                ["relative_error"] = e.RelativeError,
                ["total_macs"] = e.TotalMacs,
                ["notes"] = new JsonArray(e.Notes.Select(n => (JsonNode)n!).ToArray()),
                ["layers"] = new JsonArray(e.Layers.Select(l => (JsonNode)new JsonObject
                {
                    ["index"] = l.Index,
                    ["type"] = l.Name,
                    ["unit"] = l.Unit == ExecutionUnit.Kpu ? "kpu" : "cpu",
                    ["macs"] = l.Macs,
                    ["ms"] = Math.Round(l.Milliseconds, 5),
                    ["calibrated"] = l.Calibrated,
                    ["lines"] = l.Lines,
                    ["weight_pairs"] = l.WeightPairs,
                    ["weight_bytes"] = l.WeightBytes,
                    ["cpu_elements"] = l.CpuElements,
                    ["note"] = l.Note,
                }).ToArray()),
            };
        }

        return new JsonObject
        {
            ["file"] = name,
            ["description"] = r.Description,
            ["file_bytes"] = r.FileBytes,
            ["firmware"] = r.Firmware == TargetFirmware.MaixPy ? "maixpy" : "sdk",
            ["verdict"] = Verdict(r.Verdict),
            ["exit_code"] = r.ExitCode,
            ["heap_needed_bytes"] = r.HeapNeededBytes,
            ["heap_budget_bytes"] = r.HeapBudgetBytes,
            ["findings"] = findings,
            ["estimate"] = estimate,
        };
    }

    private static string Verdict(CheckVerdict v) => v switch
    {
        CheckVerdict.Ok => "ok",
        CheckVerdict.Warning => "warning",
        _ => "will fail",
    };
}
