using System.Globalization;
using System.Text;

namespace K210Kpu.Analysis;

/// <summary>
/// Builds the one-page model report: a single self-contained HTML file (inline CSS, pictures as data: URIs,
/// no scripts, no network) with the model summary, the fit check, the layer table with MACs and estimated
/// K210 time per layer, the feature-map mosaics and the detections.
/// </summary>
public static class HtmlReport
{
    /// <summary>The section ids on the page, in order (each is a <c>&lt;section id="..."&gt;</c>; absent inputs leave a short note instead of pictures).</summary>
    public static IReadOnlyList<string> SectionIds { get; } = ["summary", "check", "layers", "feature-maps", "detections", "notes"];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Renders the page.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException">Neither a model nor a check result is given.</exception>
    public static string Render(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Model is null && input.Check is null)
        {
            throw new ArgumentException("the report needs a model or a check result", nameof(input));
        }

        ModelCheckResult? check = input.Check ?? (input.Model is { } m ? ModelCheck.Check(m) : null);
        LatencyEstimate? estimate = input.Estimate ?? check?.Estimate ?? (input.Model is { } m2 ? LatencyEstimator.Estimate(m2) : null);
        KModel? model = input.Model ?? check?.Model;

        var sb = new StringBuilder(64 * 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(E(input.Title)).Append(" – K210 report</title>\n");
        sb.Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n");
        sb.Append("<header><h1>").Append(E(input.Title)).Append("</h1>");
        if (check is not null)
        {
            sb.Append(Badge(check.Verdict, large: true));
        }

        sb.Append("<p class=\"sub\">").Append(E(model?.FormatName ?? check?.Description ?? string.Empty));
        if (estimate is not null)
        {
            sb.Append(Inv, $" · estimated <b>{estimate.ModelMilliseconds:0.0} ms</b> per run on a K210 (±{estimate.RelativeError * 100:0} %)");
        }

        sb.Append("</p></header>\n<main>\n");
        Summary(sb, input, model, check, estimate);
        Check(sb, check);
        Layers(sb, model, estimate);
        FeatureMaps(sb, input);
        Detections(sb, input);
        Notes(sb, estimate);
        sb.Append("</main>\n<footer>Made by ").Append(E(input.Generator))
          .Append(". Estimates come from a timing model fitted to published K210 measurements (docs/k210-timing.md); they are not measurements of this model.</footer>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Renders the page and writes it to <paramref name="path"/> (UTF-8).</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(ReportInput input, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, Render(input), new UTF8Encoding(false));
    }

    private static void Summary(StringBuilder sb, ReportInput input, KModel? model, ModelCheckResult? check, LatencyEstimate? estimate)
    {
        sb.Append("<section id=\"summary\"><h2>Model</h2>\n<div class=\"summary\">");
        if (input.Input is { } picture)
        {
            sb.Append("<figure class=\"input\">").Append(Img(picture)).Append("<figcaption>").Append(E(picture.Caption)).Append("</figcaption></figure>");
        }

        sb.Append("<table class=\"kv\">");
        if (model is not null)
        {
            Row(sb, "Format", $"{model.FormatName}, version {model.Version}");
            Row(sb, "File size", Bytes(model.Bytes.Length));
            foreach (TensorInfo t in model.Inputs)
            {
                Row(sb, $"Input {t.Index}", $"{t.ElementType} [{string.Join("×", t.Shape)}], {Bytes(t.ByteSize)}");
            }

            foreach (TensorInfo t in model.Outputs)
            {
                Row(sb, $"Output {t.Index}", $"{t.ElementType} [{string.Join("×", t.Shape)}], {Bytes(t.ByteSize)}");
            }

            int kpuLayers = model.Layers.Count(l => l.Kpu is not null);
            Row(sb, "Layers", string.Create(Inv, $"{model.Layers.Count} ({kpuLayers} on the KPU, {model.Layers.Count - kpuLayers} on the CPU)"));
            Row(sb, "KPU RAM", string.Create(Inv, $"{Bytes(model.KpuRamBytes)} of 2 MiB ({100.0 * model.KpuRamBytes / ModelCheck.KpuRamBytes:0} %)"));
            Row(sb, "Main memory", Bytes(model.MainMemoryBytes));
        }
        else if (check is not null)
        {
            Row(sb, "File", $"{check.Description}, {Bytes(check.FileBytes)}");
            Row(sb, "Loaded", "no: see the fit check");
        }

        if (estimate is not null)
        {
            Row(sb, "MACs per run", string.Create(Inv, $"{estimate.TotalMacs:N0} ({estimate.TotalMacs / 1e6:0.0} M)"));
            Row(sb, "KPU MACs", string.Create(Inv, $"{estimate.Layers.Where(l => l.Unit == ExecutionUnit.Kpu).Sum(l => l.Macs) / 1e6:0.0} M"));
            Row(sb, "Estimated time", string.Create(Inv, $"{estimate.ModelMilliseconds:0.00} ms (range {estimate.LowMilliseconds:0.0}–{estimate.HighMilliseconds:0.0} ms): KPU {estimate.KpuMilliseconds:0.00}, output DMA {estimate.OutputDmaMilliseconds:0.00}, CPU {estimate.CpuMilliseconds:0.00}"));
            Row(sb, "Input upload", string.Create(Inv, $"{estimate.InputUploadMilliseconds:0.00} ms (not in the model time)"));
            Row(sb, "Model-bound rate", string.Create(Inv, $"{estimate.FramesPerSecond:0} frames/s at most (camera, LCD and post-processing not included)"));
            Row(sb, "Clocks", string.Create(Inv, $"KPU {estimate.KpuClockMHz:0} MHz, CPU {estimate.CpuClockMHz:0} MHz"));
        }

        if (check is not null)
        {
            Row(sb, "Firmware", check.Firmware == TargetFirmware.MaixPy ? "MaixPy" : "Kendryte standalone SDK");
        }

        foreach (KeyValuePair<string, string> fact in input.Facts)
        {
            Row(sb, fact.Key, fact.Value);
        }

        sb.Append("</table></div></section>\n");
    }

    private static void Check(StringBuilder sb, ModelCheckResult? check)
    {
        sb.Append("<section id=\"check\"><h2>Will it fit and run?</h2>\n");
        if (check is null)
        {
            sb.Append("<p class=\"none\">No check was made.</p></section>\n");
            return;
        }

        sb.Append("<p>").Append(Badge(check.Verdict, large: false))
          .Append(Inv, $" on {(check.Firmware == TargetFirmware.MaixPy ? "MaixPy" : "the standalone SDK")}; exit code {check.ExitCode} for scripts. ");
        if (check.HeapBudgetBytes > 0)
        {
            sb.Append(Inv, $"Load-time memory: {E(Bytes(check.HeapNeededBytes))} needed, budget {E(Bytes(check.HeapBudgetBytes))}.");
        }

        sb.Append("</p>\n<table class=\"grid check\"><thead><tr><th>verdict</th><th>check</th><th>finding</th><th>source</th></tr></thead><tbody>\n");
        foreach (CheckFinding f in check.Findings.OrderByDescending(f => f.Verdict))
        {
            sb.Append("<tr class=\"").Append(VerdictClass(f.Verdict)).Append("\"><td>").Append(Badge(f.Verdict, large: false)).Append("</td><td>")
              .Append(E(f.Code)).Append(f.LayerIndex >= 0 ? string.Create(Inv, $" <span class=\"dim\">layer {f.LayerIndex}</span>") : string.Empty)
              .Append("</td><td>").Append(E(f.Message)).Append("</td><td class=\"dim\">").Append(E(f.Source)).Append("</td></tr>\n");
        }

        sb.Append("</tbody></table></section>\n");
    }

    private static void Layers(StringBuilder sb, KModel? model, LatencyEstimate? estimate)
    {
        sb.Append("<section id=\"layers\"><h2>Layers</h2>\n");
        if (model is null || estimate is null)
        {
            sb.Append("<p class=\"none\">The model did not load, so there is no layer table.</p></section>\n");
            return;
        }

        double max = estimate.Layers.Count == 0 ? 0 : estimate.Layers.Max(l => l.Milliseconds);
        sb.Append("<p class=\"dim\">MACs of KPU convolutions are counted at the input resolution (the KPU convolves at full size, then pools). ")
          .Append("Time = fixed cost + 64-byte lines streamed + weight sets + weight bytes (+ output DMA) for KPU layers; elements × 18 cycles for CPU layers. ")
          .Append("Rows marked * are extrapolated beyond the measurements.</p>\n");
        sb.Append("<table class=\"grid layers\"><thead><tr><th>#</th><th>type</th><th>unit</th><th>input</th><th>output</th><th>kernel</th><th>pool</th>")
          .Append("<th class=\"num\">MACs</th><th class=\"num\">est. ms</th><th class=\"bar\">share of time</th><th class=\"num\">GMAC/s</th><th>why</th></tr></thead><tbody>\n");
        for (int i = 0; i < model.Layers.Count && i < estimate.Layers.Count; i++)
        {
            LayerDescriptor l = model.Layers[i];
            LayerLatency t = estimate.Layers[i];
            string input = "", output = l.OutputShape is { } s ? string.Join("×", s) : "", kernel = "", pool = "";
            if (l.Kpu is { } k)
            {
                input = string.Create(Inv, $"{k.InputWidth}×{k.InputHeight}×{k.InputChannels}");
                output = string.Create(Inv, $"{k.OutputWidth}×{k.OutputHeight}×{k.OutputChannels}");
                kernel = (k.KernelType == 1 ? "3×3" : "1×1") + (k.Depthwise ? " dw" : string.Empty);
                pool = PoolName(k.PoolType);
            }

            double share = estimate.ModelMilliseconds > 0 ? t.Milliseconds / estimate.ModelMilliseconds : 0;
            double width = max > 0 ? 100 * t.Milliseconds / max : 0;
            sb.Append("<tr class=\"").Append(t.Unit == ExecutionUnit.Kpu ? "kpu" : "cpu").Append("\">")
              .Append(Inv, $"<td class=\"num\">{l.Index}</td><td>{E(l.Name)}</td><td>{(t.Unit == ExecutionUnit.Kpu ? "KPU" : "CPU")}</td>")
              .Append(Inv, $"<td>{E(input)}</td><td>{E(output)}</td><td>{E(kernel)}</td><td>{E(pool)}</td>")
              .Append(Inv, $"<td class=\"num\">{t.Macs:N0}</td><td class=\"num\">{t.Milliseconds:0.000}{(t.Calibrated ? string.Empty : "*")}</td>")
              .Append(Inv, $"<td class=\"bar\"><div class=\"track\"><div class=\"fill {(t.Unit == ExecutionUnit.Kpu ? "k" : "c")}\" style=\"width:{width:0.#}%\"></div></div><span>{share * 100:0.0} %</span></td>")
              .Append(Inv, $"<td class=\"num\">{(t.EffectiveGmacPerSecond > 0 ? t.EffectiveGmacPerSecond.ToString("0.0", Inv) : string.Empty)}</td><td class=\"why\">{E(t.Note)}</td></tr>\n");
        }

        sb.Append(Inv, $"<tr class=\"total\"><td></td><td>total</td><td></td><td></td><td></td><td></td><td></td><td class=\"num\">{estimate.TotalMacs:N0}</td><td class=\"num\">{estimate.ModelMilliseconds:0.000}</td><td class=\"bar\"></td><td class=\"num\">{(estimate.ModelMilliseconds > 0 ? estimate.TotalMacs / (estimate.ModelMilliseconds * 1e6) : 0):0.0}</td><td class=\"why\">plus {estimate.InputUploadMilliseconds:0.00} ms input upload</td></tr>\n");
        sb.Append("</tbody></table></section>\n");
    }

    private static void FeatureMaps(StringBuilder sb, ReportInput input)
    {
        sb.Append("<section id=\"feature-maps\"><h2>Feature maps</h2>\n");
        if (input.FeatureMaps.Count == 0)
        {
            sb.Append("<p class=\"none\">No picture was given, so no feature maps were rendered.</p></section>\n");
            return;
        }

        sb.Append("<p class=\"dim\">Each mosaic shows the channels of one layer's output as grayscale tiles, in channel order; the caption says how values were mapped to gray.</p>\n<div class=\"mosaics\">");
        foreach (ReportImage fmap in input.FeatureMaps)
        {
            sb.Append("<figure>").Append(Img(fmap)).Append("<figcaption>").Append(E(fmap.Caption)).Append("</figcaption></figure>\n");
        }

        sb.Append("</div></section>\n");
    }

    private static void Detections(StringBuilder sb, ReportInput input)
    {
        sb.Append("<section id=\"detections\"><h2>Detections</h2>\n");
        if (input.Detections is null && input.DetectionLines.Count == 0)
        {
            sb.Append("<p class=\"none\">No yolo2 anchors were given, so no detections were decoded.</p></section>\n");
            return;
        }

        sb.Append("<div class=\"summary\">");
        if (input.Detections is { } picture)
        {
            sb.Append("<figure class=\"det\">").Append(Img(picture)).Append("<figcaption>").Append(E(picture.Caption)).Append("</figcaption></figure>");
        }

        sb.Append("<ol class=\"dets\">");
        foreach (string line in input.DetectionLines)
        {
            sb.Append("<li>").Append(E(line)).Append("</li>");
        }

        if (input.DetectionLines.Count == 0)
        {
            sb.Append("<li class=\"none\">nothing above the threshold</li>");
        }

        sb.Append("</ol></div></section>\n");
    }

    private static void Notes(StringBuilder sb, LatencyEstimate? estimate)
    {
        sb.Append("<section id=\"notes\"><h2>About the estimate</h2>\n<ul>");
        if (estimate is not null)
        {
            foreach (string note in estimate.Notes)
            {
                sb.Append("<li>").Append(E(note)).Append("</li>");
            }
        }

        sb.Append(Inv, $"<li>Constants: {K210Timing.CyclesPerLine} KPU cycles per 64-byte line per output channel, {K210Timing.CyclesPerWeightPair} per weight set, {K210Timing.CyclesPerWeightByte} per weight byte, {K210Timing.LayerFixedMilliseconds * 1000:0.0} µs per layer, output DMA {K210Timing.OutputDmaBytesPerSecond / 1e6:0} MB/s, CPU {K210Timing.CpuCyclesPerElement} cycles per element.</li>");
        sb.Append("<li>Fitted to the per-layer times of the Sipeed face model (kendryte/nncase#77) and a single-layer sweep (Sipeed BBS topic 691); checked against mbnet75 (37 and 40 ms published, Sipeed BBS topics 1790 and 1811).</li>");
        sb.Append("</ul></section>\n");
    }

    /// <summary>The pool type as the nncase 0.2 names it (kpu-and-kmodel-v3 §3.5).</summary>
    internal static string PoolName(int poolType) => poolType switch
    {
        0 => "–",
        1 => "max 2×2 /2",
        2 => "mean 2×2 /2",
        3 => "max 4×4 /4",
        4 => "mean 4×4 /4",
        5 => "left-top /2",
        6 => "right-top /2",
        7 => "left-top /4",
        8 => "mean 2×2 /1",
        9 => "max 2×2 /1",
        _ => poolType.ToString(Inv),
    };

    private static void Row(StringBuilder sb, string key, string value) =>
        sb.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string Img(ReportImage image) =>
        $"<img alt=\"{E(image.Caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(image.Png)}\">";

    private static string Badge(CheckVerdict verdict, bool large) =>
        $"<span class=\"badge {VerdictClass(verdict)}{(large ? " large" : string.Empty)}\">{VerdictText(verdict)}</span>";

    /// <summary>The words a verdict is shown with: "ok", "warning", "will fail".</summary>
    internal static string VerdictText(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.Ok => "ok",
        CheckVerdict.Warning => "warning",
        _ => "will fail",
    };

    private static string VerdictClass(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.Ok => "ok",
        CheckVerdict.Warning => "warn",
        _ => "fail",
    };

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(Inv, $"{bytes / (1024.0 * 1024.0):0.00} MiB ({bytes:N0} B)"),
        >= 1024 => string.Create(Inv, $"{bytes / 1024.0:0.0} KiB ({bytes:N0} B)"),
        _ => string.Create(Inv, $"{bytes} B"),
    };

    /// <summary>Escapes the five HTML-special characters and leaves the rest (×, –, µ...) as UTF-8 text.</summary>
    internal static string E(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (char ch in text)
        {
            sb.Append(ch switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => ch.ToString(),
            });
        }

        return sb.ToString();
    }

    private const string Css = """
        :root{--fg:#1d2330;--dim:#667085;--line:#d9dee7;--bg:#f6f7f9;--ok:#1a7f37;--warn:#9a6700;--fail:#c62828;--kpu:#3b6fd8;--cpu:#d9822b}
        *{box-sizing:border-box}
        body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
        header{background:#fff;border-bottom:1px solid var(--line);padding:18px 28px}
        h1{display:inline;font-size:22px;margin:0 12px 0 0;word-break:break-all}
        h2{font-size:17px;margin:0 0 10px}
        .sub{margin:6px 0 0;color:var(--dim)}
        main{padding:18px 28px;display:flex;flex-direction:column;gap:18px}
        section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 18px}
        .summary{display:flex;gap:20px;align-items:flex-start;flex-wrap:wrap}
        table{border-collapse:collapse}
        .kv th{text-align:left;color:var(--dim);font-weight:500;padding:3px 16px 3px 0;white-space:nowrap;vertical-align:top}
        .kv td{padding:3px 0}
        .grid{width:100%;font-size:13px}
        .grid th{text-align:left;font-weight:600;border-bottom:2px solid var(--line);padding:5px 8px;white-space:nowrap}
        .layers td:nth-child(-n+8){white-space:nowrap}
        .grid td{border-bottom:1px solid var(--line);padding:4px 8px;vertical-align:top}
        .grid .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .layers tr.cpu td:nth-child(3){color:var(--cpu);font-weight:600}
        .layers tr.kpu td:nth-child(3){color:var(--kpu);font-weight:600}
        .layers tr.total td{font-weight:700;border-top:2px solid var(--line)}
        td.bar{min-width:170px;white-space:nowrap}
        .track{display:inline-block;width:110px;height:10px;background:#eef1f5;border-radius:5px;vertical-align:middle;margin-right:6px;overflow:hidden}
        .fill{height:100%}.fill.k{background:var(--kpu)}.fill.c{background:var(--cpu)}
        td.why{color:var(--dim);font-size:12px;max-width:340px}
        .dim{color:var(--dim)}
        .none{color:var(--dim);font-style:italic}
        .badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:700;color:#fff;white-space:nowrap}
        .badge.large{font-size:15px;padding:3px 12px;vertical-align:4px}
        .badge.ok{background:var(--ok)}.badge.warn{background:var(--warn)}.badge.fail{background:var(--fail)}
        .check tr.fail td{background:#fdecec}.check tr.warn td{background:#fff6e0}
        figure{margin:0}
        figure img{display:block;max-width:100%;image-rendering:pixelated;border:1px solid var(--line);background:#000}
        figure.input img,figure.det img{width:320px}
        figcaption{font-size:12px;color:var(--dim);margin-top:4px}
        .mosaics{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:14px}
        .mosaics img{width:100%}
        .dets{margin:0;padding-left:20px}
        footer{color:var(--dim);font-size:12px;padding:0 28px 24px}
        """;
}
