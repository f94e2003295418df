using SkiaSharp;

namespace K210Kpu.Tests.Analysis;

/// <summary>Small PNG pictures for report tests.</summary>
internal static class TestPng
{
    /// <summary>A grayscale mosaic of <paramref name="tiles"/> gradient tiles, each <paramref name="tile"/> pixels square.</summary>
    public static byte[] Mosaic(int tiles, int tile, int seed)
    {
        int cols = (int)Math.Ceiling(Math.Sqrt(tiles));
        int rows = (tiles + cols - 1) / cols;
        using var bmp = new SKBitmap(cols * (tile + 1), rows * (tile + 1), SKColorType.Gray8, SKAlphaType.Opaque);
        var rng = new Random(seed);
        for (int t = 0; t < tiles; t++)
        {
            int ox = (t % cols) * (tile + 1), oy = (t / cols) * (tile + 1);
            double fx = rng.NextDouble() * 0.5, fy = rng.NextDouble() * 0.5, ph = rng.NextDouble() * 6;
            for (int y = 0; y < tile; y++)
            {
                for (int x = 0; x < tile; x++)
                {
                    byte v = (byte)(127 + (127 * Math.Sin((fx * x) + (fy * y) + ph)));
                    bmp.SetPixel(ox + x, oy + y, new SKColor(v, v, v));
                }
            }
        }

        using SKData data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A colour picture with a rectangle drawn on it, standing in for the input and detections.</summary>
    public static byte[] Picture(int width, int height, bool box)
    {
        using var bmp = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bmp))
        {
            using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [new SKColor(40, 90, 160), new SKColor(230, 200, 150)], SKShaderTileMode.Clamp);
            using var fill = new SKPaint { Shader = shader };
            canvas.DrawRect(0, 0, width, height, fill);
            if (box)
            {
                using var stroke = new SKPaint { Color = new SKColor(255, 40, 40), Style = SKPaintStyle.Stroke, StrokeWidth = 2 };
                canvas.DrawRect(120, 60, 80, 100, stroke);
            }
        }

        using SKData data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
