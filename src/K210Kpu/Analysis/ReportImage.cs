namespace K210Kpu.Analysis;

/// <summary>A picture for <see cref="HtmlReport"/>: already-encoded PNG bytes and a caption (the report embeds it as a data: URI).</summary>
public sealed class ReportImage
{
    /// <summary>Creates a report image.</summary>
    /// <param name="caption">Text shown under the picture.</param>
    /// <param name="png">PNG file bytes (must start with the PNG signature).</param>
    /// <param name="layerIndex">The layer the picture shows, or -1.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="png"/> is not a PNG file.</exception>
    public ReportImage(string caption, byte[] png, int layerIndex = -1)
    {
        ArgumentNullException.ThrowIfNull(caption);
        ArgumentNullException.ThrowIfNull(png);
        if (!IsPng(png))
        {
            throw new ArgumentException("the picture is not a PNG file (missing the 8-byte PNG signature)", nameof(png));
        }

        Caption = caption;
        Png = png;
        LayerIndex = layerIndex;
    }

    /// <summary>Text shown under the picture.</summary>
    public string Caption { get; }

    /// <summary>PNG file bytes.</summary>
    public byte[] Png { get; }

    /// <summary>The layer the picture shows, or -1.</summary>
    public int LayerIndex { get; }

    internal static bool IsPng(ReadOnlySpan<byte> data) =>
        data.Length >= 8 && data[..8].SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 });
}
