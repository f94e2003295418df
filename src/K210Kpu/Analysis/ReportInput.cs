namespace K210Kpu.Analysis;

/// <summary>
/// Everything <see cref="HtmlReport"/> puts on the page. Pictures arrive as encoded PNG bytes made elsewhere
/// (feature-map mosaics, the input, the detections drawn on it), so the report itself depends on no imaging code.
/// </summary>
public sealed class ReportInput
{
    /// <summary>Page title, usually the model's file name.</summary>
    public string Title { get; init; } = "K210 model report";

    /// <summary>The model; null when the file did not load (then the page shows the check only).</summary>
    public KModel? Model { get; init; }

    /// <summary>The fit check; when null and <see cref="Model"/> is set, the report runs <see cref="ModelCheck.Check(KModel, ModelCheckOptions?)"/> with the defaults.</summary>
    public ModelCheckResult? Check { get; init; }

    /// <summary>The time estimate; when null, taken from <see cref="Check"/>, else computed at the default clocks.</summary>
    public LatencyEstimate? Estimate { get; init; }

    /// <summary>The input picture as fed to the model (optional).</summary>
    public ReportImage? Input { get; init; }

    /// <summary>One feature-map mosaic per layer (optional), in layer order.</summary>
    public IReadOnlyList<ReportImage> FeatureMaps { get; init; } = [];

    /// <summary>The input picture with the yolo2 detections drawn on it (optional).</summary>
    public ReportImage? Detections { get; init; }

    /// <summary>One line per detection, e.g. "face 0.93 at (120, 64) 80×96" (optional).</summary>
    public IReadOnlyList<string> DetectionLines { get; init; } = [];

    /// <summary>Extra key/value facts for the summary (e.g. the arithmetic mode, the anchors).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Facts { get; init; } = [];

    /// <summary>Name and version of the program that made the page, shown in the footer.</summary>
    public string Generator { get; init; } = "K210Kpu";
}
