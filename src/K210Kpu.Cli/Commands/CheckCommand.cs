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

            ModelCheckResult r = ModelCheck.CheckFile(path, set.Read(p));
            Console.Out.Write(p.GetValue(json)
                ? ToJson(Path.GetFileName(path), r).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"
                : ToText(Path.GetFileName(path), r, p.GetValue(layers)));
            return r.ExitCode;
        }));
        return cmd;
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
