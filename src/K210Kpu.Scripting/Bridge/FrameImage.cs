namespace K210Kpu.Scripting.Bridge;

/// <summary>
/// The pixels behind a script's <c>image.Image</c>: RGB565 or GRAYSCALE display pixels plus the separate planar
/// "ai" buffer the KPU reads (maixpy-api §3.1). Colours passed to drawing calls are pixel values in the image's
/// own format (RGB565 value or grey level).
/// </summary>
public sealed class FrameImage
{
    private readonly ushort[] _pixels;

    internal FrameImage(int width, int height, bool grayscale)
    {
        if (width <= 0 || height <= 0 || (long)width * height > 16L * 1024 * 1024)
        {
            throw MaixError.Value($"image size {width}x{height} is not valid");
        }

        Width = width;
        Height = height;
        IsGrayscale = grayscale;
        _pixels = new ushort[width * height];
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>True for GRAYSCALE, false for RGB565.</summary>
    public bool IsGrayscale { get; }

    /// <summary>The planar KPU input (R,G,B planes or one grey plane), or null until <see cref="PixToAi"/> (or the camera) fills it.</summary>
    public byte[]? PixAi { get; internal set; }

    /// <summary>A copy of <see cref="PixAi"/> for callers outside the assembly (null when unset).</summary>
    public byte[]? GetPixAi() => PixAi?.ToArray();

    /// <summary>Makes an RGB565 frame from planar 8-bit R,G,B planes, keeping those planes as the ai buffer (what the camera's DVP produces).</summary>
    internal static FrameImage FromPlanarRgb(int width, int height, byte[] planes)
    {
        var img = new FrameImage(width, height, grayscale: false);
        int n = width * height;
        for (int i = 0; i < n; i++)
        {
            img._pixels[i] = Rgb888To565(planes[i], planes[n + i], planes[(2 * n) + i]);
        }

        img.PixAi = planes;
        return img;
    }

    /// <summary>Makes a GRAYSCALE frame from one 8-bit plane, which is also its ai buffer.</summary>
    internal static FrameImage FromGray(int width, int height, byte[] plane)
    {
        var img = new FrameImage(width, height, grayscale: true);
        for (int i = 0; i < plane.Length; i++)
        {
            img._pixels[i] = plane[i];
        }

        img.PixAi = plane;
        return img;
    }

    /// <summary>The pixel value of an 8-bit colour in this image's format.</summary>
    public int ColorValue(int r, int g, int b) =>
        IsGrayscale ? Luma(r & 255, g & 255, b & 255) : Rgb888To565(r & 255, g & 255, b & 255);

    /// <summary>A pixel as 0xRRGGBB (RGB565) or a grey level, or -1 outside the image.</summary>
    public int GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return -1;
        }

        ushort p = _pixels[(y * Width) + x];
        if (IsGrayscale)
        {
            return p;
        }

        return (Rb528(p >> 11) << 16) | (G628((p >> 5) & 63) << 8) | Rb528(p & 31);
    }

    /// <summary>Sets one pixel (pixel value in the image's format); outside the image nothing happens.</summary>
    public void SetPixel(int x, int y, int value)
    {
        if ((uint)x < (uint)Width && (uint)y < (uint)Height)
        {
            _pixels[(y * Width) + x] = (ushort)(IsGrayscale ? Math.Clamp(value, 0, 255) : value & 0xFFFF);
        }
    }

    /// <summary>Draws a line with the given thickness.</summary>
    public void DrawLine(int x0, int y0, int x1, int y1, int color, int thickness)
    {
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        int t = Math.Max(thickness, 1);
        while (true)
        {
            Dot(x0, y0, color, t);
            if (x0 == x1 && y0 == y1)
            {
                break;
            }

            int e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                x0 += sx;
            }

            if (e2 <= dx)
            {
                err += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Draws a rectangle outline (thickness grows inwards) or fills it.</summary>
    public void DrawRectangle(int x, int y, int w, int h, int color, int thickness, bool fill)
    {
        if (w <= 0 || h <= 0)
        {
            return;
        }

        if (fill)
        {
            FillRect(x, y, w, h, color);
            return;
        }

        for (int i = 0; i < Math.Max(thickness, 1) && i * 2 < Math.Min(w, h); i++)
        {
            FillRect(x + i, y + i, w - (2 * i), 1, color);
            FillRect(x + i, y + h - 1 - i, w - (2 * i), 1, color);
            FillRect(x + i, y + i, 1, h - (2 * i), color);
            FillRect(x + w - 1 - i, y + i, 1, h - (2 * i), color);
        }
    }

    /// <summary>Draws a circle outline or a filled disc.</summary>
    public void DrawCircle(int cx, int cy, int radius, int color, int thickness, bool fill)
    {
        int r2 = radius * radius;
        int inner = Math.Max(radius - Math.Max(thickness, 1), -1);
        int i2 = inner < 0 ? -1 : inner * inner;
        for (int y = -radius; y <= radius; y++)
        {
            for (int x = -radius; x <= radius; x++)
            {
                int d = (x * x) + (y * y);
                if (d <= r2 && (fill || d > i2))
                {
                    SetPixel(cx + x, cy + y, color);
                }
            }
        }
    }

    /// <summary>Draws a cross of half-size <paramref name="size"/>.</summary>
    public void DrawCross(int x, int y, int color, int size, int thickness)
    {
        DrawLine(x - size, y, x + size, y, color, thickness);
        DrawLine(x, y - size, x, y + size, color, thickness);
    }

    /// <summary>Draws text in the 8×10 cell font scaled by <paramref name="scale"/> (glyph shapes: <see cref="TinyFont"/>).</summary>
    public void DrawString(int x, int y, string text, int color, double scale)
    {
        int s = Math.Max(1, (int)Math.Round(scale));
        int cx = x;
        foreach (char ch in text)
        {
            if (ch == '\n')
            {
                cx = x;
                y += 10 * s;
                continue;
            }

            ReadOnlySpan<byte> rows = TinyFont.Glyph(ch);
            for (int r = 0; r < rows.Length; r++)
            {
                for (int c = 0; c < 5; c++)
                {
                    if ((rows[r] & (0x10 >> c)) != 0)
                    {
                        FillRect(cx + (c * s) + s, y + (r * s) + s, s, s, color);
                    }
                }
            }

            cx += 8 * s;
        }
    }

    /// <summary>Copies the image onto this one at (x, y), converting formats; pixels outside are clipped.</summary>
    public void DrawImage(FrameImage src, int x, int y)
    {
        for (int sy = 0; sy < src.Height; sy++)
        {
            for (int sx = 0; sx < src.Width; sx++)
            {
                int v = src._pixels[(sy * src.Width) + sx];
                if (src.IsGrayscale != IsGrayscale)
                {
                    v = IsGrayscale ? Rgb565ToGray((ushort)v) : Rgb888To565(v, v, v);
                }

                SetPixel(x + sx, y + sy, v);
            }
        }
    }

    /// <summary>A new image of the region (clipped to the image); the ai buffer is not copied.</summary>
    public FrameImage Crop(int x, int y, int w, int h)
    {
        int x0 = Math.Clamp(x, 0, Width), y0 = Math.Clamp(y, 0, Height);
        int x1 = Math.Clamp(x + w, 0, Width), y1 = Math.Clamp(y + h, 0, Height);
        if (x1 <= x0 || y1 <= y0)
        {
            throw MaixError.Value("Region of interest outside image");
        }

        var dst = new FrameImage(x1 - x0, y1 - y0, IsGrayscale);
        for (int r = 0; r < dst.Height; r++)
        {
            Array.Copy(_pixels, ((y0 + r) * Width) + x0, dst._pixels, r * dst.Width, dst.Width);
        }

        return dst;
    }

    /// <summary>A new image scaled to <paramref name="w"/>×<paramref name="h"/> (nearest neighbour); its ai buffer is unset.</summary>
    public FrameImage Resize(int w, int h)
    {
        var dst = new FrameImage(w, h, IsGrayscale);
        for (int y = 0; y < h; y++)
        {
            int sy = (int)((long)y * Height / h);
            for (int x = 0; x < w; x++)
            {
                dst._pixels[(y * w) + x] = _pixels[(sy * Width) + (int)((long)x * Width / w)];
            }
        }

        return dst;
    }

    /// <summary>A GRAYSCALE copy (or a copy when already grey).</summary>
    public FrameImage ToGrayscale()
    {
        var dst = new FrameImage(Width, Height, grayscale: true);
        for (int i = 0; i < _pixels.Length; i++)
        {
            dst._pixels[i] = IsGrayscale ? _pixels[i] : (ushort)Rgb565ToGray(_pixels[i]);
        }

        return dst;
    }

    /// <summary>An RGB565 copy (or a copy when already RGB565).</summary>
    public FrameImage ToRgb565()
    {
        var dst = new FrameImage(Width, Height, grayscale: false);
        for (int i = 0; i < _pixels.Length; i++)
        {
            int v = _pixels[i];
            dst._pixels[i] = IsGrayscale ? Rgb888To565(v, v, v) : (ushort)v;
        }

        return dst;
    }

    /// <summary>An exact copy including the ai buffer.</summary>
    public FrameImage Copy()
    {
        var dst = new FrameImage(Width, Height, IsGrayscale);
        Array.Copy(_pixels, dst._pixels, _pixels.Length);
        dst.PixAi = PixAi?.ToArray();
        return dst;
    }

    /// <summary>Fills the ai buffer from the display pixels (MaixPy <c>pix_to_ai</c>: 5/6-bit channels expanded by the rb528/g628 tables).</summary>
    public void PixToAi()
    {
        int n = Width * Height;
        byte[] ai = PixAi is { Length: var len } existing && len == n * (IsGrayscale ? 1 : 3) ? existing : new byte[n * (IsGrayscale ? 1 : 3)];
        for (int i = 0; i < n; i++)
        {
            ushort p = _pixels[i];
            if (IsGrayscale)
            {
                ai[i] = (byte)p;
            }
            else
            {
                ai[i] = (byte)Rb528(p >> 11);
                ai[n + i] = (byte)G628((p >> 5) & 63);
                ai[(2 * n) + i] = (byte)Rb528(p & 31);
            }
        }

        PixAi = ai;
    }

    /// <summary>Rewrites the display pixels from the ai buffer (MaixPy <c>ai_to_pix</c>).</summary>
    public void AiToPix()
    {
        if (PixAi is not { } ai)
        {
            return;
        }

        int n = Width * Height;
        for (int i = 0; i < n; i++)
        {
            _pixels[i] = IsGrayscale ? ai[i] : Rgb888To565(ai[i], ai[n + i], ai[(2 * n) + i]);
        }
    }

    /// <summary>Grey levels stretched as MaixPy's <c>stretch</c> (GRAYSCALE only; maixpy-api §10.1). Returns false for RGB565.</summary>
    public bool Stretch(int toMin, int toMax)
    {
        if (!IsGrayscale)
        {
            return false;
        }

        if (Width < 3 || Height < 3)
        {
            return true;
        }

        int min0 = _pixels[Width + 1], max0 = min0;
        for (int y = 1; y < Height - 1; y++)
        {
            for (int x = 1; x < Width - 1; x++)
            {
                int v = _pixels[(y * Width) + x];
                min0 = Math.Min(min0, v);
                max0 = Math.Max(max0, v);
            }
        }

        if (min0 == max0)
        {
            return true;
        }

        float scale = Math.Min((toMax - toMin) / (max0 - min0), 5);
        for (int i = 0; i < _pixels.Length; i++)
        {
            _pixels[i] = (byte)(int)(((_pixels[i] - min0) * scale) + toMin);
        }

        return true;
    }

    /// <summary>The display pixels as interleaved 8-bit RGB (grey repeated), for writing pictures.</summary>
    internal byte[] ToRgb24()
    {
        byte[] rgb = new byte[Width * Height * 3];
        for (int i = 0; i < _pixels.Length; i++)
        {
            ushort p = _pixels[i];
            if (IsGrayscale)
            {
                rgb[i * 3] = rgb[(i * 3) + 1] = rgb[(i * 3) + 2] = (byte)p;
            }
            else
            {
                rgb[i * 3] = (byte)Rb528(p >> 11);
                rgb[(i * 3) + 1] = (byte)G628((p >> 5) & 63);
                rgb[(i * 3) + 2] = (byte)Rb528(p & 31);
            }
        }

        return rgb;
    }

    private void Dot(int x, int y, int color, int t)
    {
        if (t <= 1)
        {
            SetPixel(x, y, color);
        }
        else
        {
            FillRect(x - ((t - 1) / 2), y - ((t - 1) / 2), t, t, color);
        }
    }

    private void FillRect(int x, int y, int w, int h, int color)
    {
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0);
        int x1 = Math.Min(x + w, Width), y1 = Math.Min(y + h, Height);
        ushort v = (ushort)(IsGrayscale ? Math.Clamp(color, 0, 255) : color & 0xFFFF);
        for (int yy = y0; yy < y1; yy++)
        {
            _pixels.AsSpan((yy * Width) + x0, Math.Max(x1 - x0, 0)).Fill(v);
        }
    }

    private static int Rb528(int v) => ((v * 255 * 2) + 31) / 62;

    private static int G628(int v) => ((v * 255 * 2) + 63) / 126;

    private static ushort Rgb888To565(int r, int g, int b) =>
        (ushort)(((((r * 31 * 2) + 255) / 510) << 11) | ((((g * 63 * 2) + 255) / 510) << 5) | (((b * 31 * 2) + 255) / 510));

    private static int Luma(int r, int g, int b) => ((r * 19595) + (g * 38470) + (b * 7471) + 0x8000) >> 16;

    private static int Rgb565ToGray(ushort p) => Luma(Rb528(p >> 11), G628((p >> 5) & 63), Rb528(p & 31));
}
