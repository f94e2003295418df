using SkiaSharp;

namespace K210Kpu.Cli.Commands;

/// <summary>
/// Renders a float layer's dense output (the <c>ReadLayerOutput</c> dump: N×C×H×W float32) as one grayscale PNG mosaic,
/// one tile per channel, scaled from the map's minimum to its maximum, for the report. MaixPy's fmap routine
/// (<c>Kpu.FmapMosaic</c>) draws uint8 maps only. Also handles uint8 maps (as stored). At most <see cref="MaxTiles"/>
/// channels; tiles are shrunk (nearest) or enlarged so the mosaic stays near <see cref="TargetWidth"/> pixels wide.
/// </summary>
internal static class FeatureMapMosaic
{
    public const int MaxTiles = 64;

    public const int TargetWidth = 640;

    /// <summary>The PNG bytes and the number of channels drawn, or null when the layer has no known shape.</summary>
    public static (byte[] Png, int Drawn, int Channels)? Render(LayerDescriptor layer, byte[] dense)
    {
        if (layer.OutputShape is not { Count: 4 } shape)
        {
            return null;
        }

        int c = shape[1], h = shape[2], w = shape[3];
        int elem = layer.OutputType == ElementType.Float32 ? 4 : 1;
        if (c <= 0 || h <= 0 || w <= 0 || (long)c * h * w * elem > dense.Length)
        {
            return null;
        }

        int drawn = Math.Min(c, MaxTiles);
        int cols = (int)Math.Ceiling(Math.Sqrt(drawn));
        int rows = (drawn + cols - 1) / cols;

        // Tile scale: enlarge small maps, shrink big ones, so cols × tile ≈ TargetWidth.
        double scale = Math.Clamp((double)TargetWidth / (cols * w), 1.0 / 16, 16);
        int tw = Math.Max(1, (int)(w * scale)), th = Math.Max(1, (int)(h * scale));
        const int Gap = 2;
        using var bmp = new SKBitmap((cols * (tw + Gap)) - Gap, (rows * (th + Gap)) - Gap, SKColorType.Gray8, SKAlphaType.Opaque);
        Span<byte> px = bmp.GetPixelSpan();
        px.Fill(40);
        int stride = bmp.RowBytes;

        float min = 0, max = 255;
        if (elem == 4)
        {
            ReadOnlySpan<float> f = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(dense.AsSpan(0, c * h * w * 4));
            min = float.PositiveInfinity;
            max = float.NegativeInfinity;
            foreach (float v in f)
            {
                if (float.IsFinite(v))
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }

            if (!(max > min))
            {
                (min, max) = (0, 1);
            }
        }

        for (int ch = 0; ch < drawn; ch++)
        {
            int ox = (ch % cols) * (tw + Gap), oy = (ch / cols) * (th + Gap);
            for (int y = 0; y < th; y++)
            {
                int sy = Math.Min(h - 1, (int)(y / scale));
                for (int x = 0; x < tw; x++)
                {
                    int sx = Math.Min(w - 1, (int)(x / scale));
                    int i = (ch * h * w) + (sy * w) + sx;
                    byte v = elem == 1
                        ? dense[i]
                        : (byte)Math.Clamp((BitConverter.ToSingle(dense, i * 4) - min) / (max - min) * 255f, 0f, 255f);
                    px[((oy + y) * stride) + ox + x] = v;
                }
            }
        }

        using SKData data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        return (data.ToArray(), drawn, c);
    }
}
