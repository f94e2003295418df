namespace K210Kpu.PostProcessing;

/// <summary>Parameters of the YOLOv2 region layer (what MaixPy's <c>init_yolo2</c> stores).</summary>
public sealed class Yolo2Options
{
    /// <summary>Creates the options, checked as MaixPy's <c>init_yolo2</c> checks them.</summary>
    /// <param name="threshold">Probability threshold, 0..1; a detection needs a probability strictly above it.</param>
    /// <param name="nmsValue">IoU above which a lower-scored box of the same class is suppressed, 0..1.</param>
    /// <param name="anchors">Anchor sizes in grid cells, (w0, h0, w1, h1, ...); stored as single precision.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range (NaN included).</exception>
    /// <exception cref="ArgumentException">The anchor list is empty or has an odd length.</exception>
    public Yolo2Options(float threshold, float nmsValue, IReadOnlyList<float> anchors)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        if (!(threshold >= 0f && threshold <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "threshold only support 0 to 1");
        }

        if (!(nmsValue >= 0f && nmsValue <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(nmsValue), "nms_value only support 0 to 1");
        }

        if (anchors.Count == 0 || anchors.Count % 2 != 0)
        {
            throw new ArgumentException("anchors must hold (w, h) pairs, at least one", nameof(anchors));
        }

        Threshold = threshold;
        NmsValue = nmsValue;
        Anchors = anchors.ToArray();
    }

    /// <summary>Probability threshold (strict: a probability must exceed it).</summary>
    public float Threshold { get; }

    /// <summary>NMS IoU threshold.</summary>
    public float NmsValue { get; }

    /// <summary>Number of anchors (half the anchor list).</summary>
    public int AnchorNumber => Anchors.Count / 2;

    /// <summary>Anchors (w0, h0, w1, h1, ...) in grid-cell units.</summary>
    public IReadOnlyList<float> Anchors { get; }

    /// <summary>MaixPy's print form of the <c>kpu_yolo2</c> object.</summary>
    public override string ToString()
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        string a = string.Join(", ", Anchors.Select(v => v.ToString("F6", ci)));
        return string.Create(ci, $"{{\"threshold\":{Threshold:F6}, \"nms_value\":{NmsValue:F6}, \"anchor_number\":{AnchorNumber}, \"anchor\":\"({a})\"}}");
    }
}
