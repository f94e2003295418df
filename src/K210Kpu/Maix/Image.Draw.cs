namespace K210Kpu.Maix;

/// <summary>Drawing, with the pixel-for-pixel rules of MaixPy's imlib (<c>omv/img/draw.c</c>).</summary>
public sealed partial class Image
{
    /// <summary>
    /// MaixPy's <c>draw_line</c>: Bresenham from (x0, y0) to (x1, y1); each point is a filled disc spanning
    /// <c>-(t/2) .. (t-1)/2</c> around it (t = thickness). Nothing is drawn when thickness &lt; 1.
    /// </summary>
    /// <returns>This image.</returns>
    public Image DrawLine(int x0, int y0, int x1, int y1, int color = -1, int thickness = 1)
    {
        if (thickness > 0)
        {
            int t0 = thickness / 2;
            int t1 = (thickness - 1) / 2;
            int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
            int dy = Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
            int err = (dx > dy ? dx : -dy) / 2;
            while (true)
            {
                PointFill(x0, y0, -t0, t1, color);
                if (x0 == x1 && y0 == y1)
                {
                    break;
                }

                int e2 = err;
                if (e2 > -dx)
                {
                    err -= dy;
                    x0 += sx;
                }

                if (e2 < dy)
                {
                    err += dx;
                    y0 += sy;
                }
            }
        }

        return this;
    }

    /// <summary>
    /// MaixPy's <c>draw_rectangle(x, y, w, h, color=white, thickness=1, fill=False)</c>. Filled: every pixel of
    /// [x, x+w) × [y, y+h). Outline: the edges are <paramref name="thickness"/> wide and centred on the rectangle's
    /// border pixels, extending <c>t/2</c> outward and <c>(t-1)/2</c> inward.
    /// </summary>
    /// <returns>This image.</returns>
    public Image DrawRectangle(int x, int y, int w, int h, int color = -1, int thickness = 1, bool fill = false)
    {
        if (fill)
        {
            for (int yy = y; yy < y + h; yy++)
            {
                for (int xx = x; xx < x + w; xx++)
                {
                    SetPixel(xx, yy, color);
                }
            }
        }
        else if (thickness > 0)
        {
            int t0 = thickness / 2;
            int t1 = (thickness - 1) / 2;
            for (int i = x - t0, j = x + w + t1, k = y + h - 1; i < j; i++)
            {
                VLine(i, y - t0, y + t1, color);
                VLine(i, k - t0, k + t1, color);
            }

            for (int i = y - t0, j = y + h + t1, k = x + w - 1; i < j; i++)
            {
                HLine(x - t0, x + t1, i, color);
                HLine(k - t0, k + t1, i, color);
            }
        }

        return this;
    }

    /// <summary>Draws the rectangle <c>(X, Y, W, H)</c>, e.g. a detection's <c>Rect()</c>; see <see cref="DrawRectangle(int, int, int, int, int, int, bool)"/>.</summary>
    /// <returns>This image.</returns>
    public Image DrawRectangle((int X, int Y, int W, int H) rect, int color = -1, int thickness = 1, bool fill = false) =>
        DrawRectangle(rect.X, rect.Y, rect.W, rect.H, color, thickness, fill);

    /// <summary>MaixPy's <c>draw_cross(x, y, color=white, size=5, thickness=1)</c>: a horizontal and a vertical line of half-length <paramref name="size"/>.</summary>
    /// <returns>This image.</returns>
    public Image DrawCross(int x, int y, int color = -1, int size = 5, int thickness = 1)
    {
        DrawLine(x - size, y, x + size, y, color, thickness);
        DrawLine(x, y - size, x, y + size, color, thickness);
        return this;
    }

    /// <summary>
    /// MaixPy's <c>draw_circle(x, y, r, color=white, thickness=1, fill=False)</c>: the midpoint ring algorithm between
    /// radii <c>r - (t-1)/2</c> and <c>r + t/2</c>, or every pixel with <c>dx² + dy² ≤ r²</c> when filled.
    /// </summary>
    /// <returns>This image.</returns>
    public Image DrawCircle(int cx, int cy, int r, int color = -1, int thickness = 1, bool fill = false)
    {
        if (fill)
        {
            PointFill(cx, cy, -r, r, color);
        }
        else if (thickness > 0)
        {
            int t0 = thickness / 2;
            int t1 = (thickness - 1) / 2;
            int xo = r + t0;
            int xi = Math.Max(r - t1, 0);
            int xiStart = xi;
            int y = 0;
            int erro = 1 - xo;
            int erri = 1 - xi;
            while (xo >= y)
            {
                HLine(cx + xi, cx + xo, cy + y, color);
                VLine(cx + y, cy + xi, cy + xo, color);
                HLine(cx - xo, cx - xi, cy + y, color);
                VLine(cx - y, cy + xi, cy + xo, color);
                HLine(cx - xo, cx - xi, cy - y, color);
                VLine(cx - y, cy - xo, cy - xi, color);
                HLine(cx + xi, cx + xo, cy - y, color);
                VLine(cx + y, cy - xo, cy - xi, color);
                y++;
                if (erro < 0)
                {
                    erro += (2 * y) + 1;
                }
                else
                {
                    xo--;
                    erro += 2 * (y - xo + 1);
                }

                if (y > xiStart)
                {
                    xi = y;
                }
                else if (erri < 0)
                {
                    erri += (2 * y) + 1;
                }
                else
                {
                    xi--;
                    erri += 2 * (y - xi + 1);
                }
            }
        }

        return this;
    }

    /// <summary>
    /// MaixPy's <c>draw_image(img, x, y, x_scale=1, y_scale=1, alpha=256, mask=None)</c>, with its arithmetic.
    /// Each destination pixel samples source pixel <c>(round(x / x_scale), round(y / y_scale))</c>.
    /// At full alpha the source pixel is passed through MaixPy's RGB565 → RGB888 → RGB565 round trip whatever the
    /// source format is (as the firmware does): grey → grey and RGB565 → RGB565 copy exactly, but a grey source
    /// on an RGB565 destination comes out in MaixPy's red/green false colours. Use a grayscale destination for
    /// grey mosaics. Below full alpha the firmware's brightness-weighted blend is used, reading the destination the same way.
    /// </summary>
    /// <param name="source">The image to draw.</param>
    /// <param name="x">Left edge in this image.</param>
    /// <param name="y">Top edge in this image.</param>
    /// <param name="xScale">Horizontal scale, ≥ 0.</param>
    /// <param name="yScale">Vertical scale, ≥ 0.</param>
    /// <param name="alpha">Opacity 0..256 (256 = opaque).</param>
    /// <param name="mask">Optional mask: only pixels where the mask is bright (grey &gt; 127) are drawn.</param>
    /// <returns>This image.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A scale is negative or alpha is outside 0..256.</exception>
    public Image DrawImage(Image source, int x, int y, float xScale = 1f, float yScale = 1f, int alpha = 256, Image? mask = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!(xScale >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(xScale), "Error: 0.0 <= x_scale!");
        }

        if (!(yScale >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(yScale), "Error: 0.0 <= y_scale!");
        }

        float a = alpha / 256f;
        if (!(a >= 0 && a <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), "Error: 0 <= alpha <= 256!");
        }

        float overX = xScale != 0 ? 1f / xScale : 0;
        float overY = yScale != 0 ? 1f / yScale : 0;
        int rows = (int)MathF.Round(source.Height * yScale, MidpointRounding.AwayFromZero);
        int cols = (int)MathF.Round(source.Width * xScale, MidpointRounding.AwayFromZero);
        for (int yy = 0; yy < rows; yy++)
        {
            int sy = (int)MathF.Round(yy * overY, MidpointRounding.AwayFromZero);
            for (int xx = 0; xx < cols; xx++)
            {
                int sx = (int)MathF.Round(xx * overX, MidpointRounding.AwayFromZero);
                if (mask is not null && !mask.IsMaskSet(sx, sy))
                {
                    continue;
                }

                (byte r, byte g, byte b) = source.FirmwareRgb(source.GetPixel(sx, sy));
                if (a != 1f)
                {
                    int under = GetPixel(x + xx, y + yy);
                    if (under < 0)
                    {
                        continue;
                    }

                    (byte r2, byte g2, byte b2) = FirmwareRgb(under);
                    float tmp = (r | g | b) / 256f;
                    float ta = a * tmp;
                    float beta = 1 - ta;
                    r = (byte)Math.Min((int)((r * ta) + (r2 * beta)), 255);
                    g = (byte)Math.Min((int)((g * ta) + (g2 * beta)), 255);
                    b = (byte)Math.Min((int)((b * ta) + (b2 * beta)), 255);
                }

                SetPixel(x + xx, y + yy, EncodeFromFirmwareRgb(r, g, b, source.Format == PixelFormat.Grayscale));
            }
        }

        return this;
    }

    /// <summary>Draws <paramref name="source"/> at the position <c>(X, Y)</c>; see <see cref="DrawImage(Image, int, int, float, float, int, Image?)"/>.</summary>
    /// <returns>This image.</returns>
    public Image DrawImage(Image source, (int X, int Y) position, float xScale = 1f, float yScale = 1f, int alpha = 256, Image? mask = null) =>
        DrawImage(source, position.X, position.Y, xScale, yScale, alpha, mask);

    // The firmware reads every pixel as one of its (byte-swapped) RGB565 words and expands it with its tables; a grey
    // byte g therefore reads as r5 = g >> 3, g6 = (g & 7) << 3, b5 = 0. RGB888 (a desktop extension) reads as itself.
    private (byte R, byte G, byte B) FirmwareRgb(int pixel)
    {
        switch (Format)
        {
            case PixelFormat.Grayscale:
                return (ColorTables.Rb528[(pixel >> 3) & 0x1F], ColorTables.G628[(pixel & 7) << 3], 0);
            case PixelFormat.Rgb565:
                return (ColorTables.Rb528[(pixel >> 11) & 0x1F], ColorTables.G628[(pixel >> 5) & 0x3F], ColorTables.Rb528[pixel & 0x1F]);
            default:
                return ((byte)(pixel >> 16), (byte)(pixel >> 8), (byte)pixel);
        }
    }

    // The firmware packs the colour into its RGB565 word and stores that word with the destination's pixel width.
    private int EncodeFromFirmwareRgb(byte r, byte g, byte b, bool greySource)
    {
        int r5 = ColorTables.Rb825[r];
        int g6 = ColorTables.G826[g];
        int b5 = ColorTables.Rb825[b];
        switch (Format)
        {
            case PixelFormat.Grayscale:
                // The low byte of the byte-swapped word: r5 << 3 | g6 >> 3.
                return (r5 << 3) | (g6 >> 3);
            case PixelFormat.Rgb565:
                return ColorTables.Pack565(r5, g6, b5);
            default:
                return greySource
                    ? (ColorTables.Rb528[r5] << 16) | (ColorTables.G628[g6] << 8) | ColorTables.Rb528[b5]
                    : (r << 16) | (g << 8) | b;
        }
    }

    /// <summary>
    /// MaixPy's <c>draw_string(x, y, text, color=white, scale=1, x_spacing=0, y_spacing=2, mono_space=False)</c> with
    /// MaixPy's layout rules for its built-in 8×12 ASCII font (the glyph shapes are the project's own 5×7 font):
    /// cell pixels sampled at <c>round(x / scale)</c>, <c>round(y / scale)</c>; "\n", "\r" or "\r\n" start a new line
    /// <c>round(12·scale) + y_spacing</c> lower; proportional spacing (the default) shifts each glyph left to its
    /// first inked column and advances past its last one plus a blank column (a blank glyph advances
    /// <c>round(3·scale)</c>); mono spacing advances <c>round(8·scale)</c>; both add <paramref name="xSpacing"/>.
    /// Characters outside ASCII 0x20..0x7E draw MaixPy's placeholder rectangle without advancing.
    /// </summary>
    /// <returns>This image.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not positive ("Error: 0 &lt; scale!").</exception>
    public Image DrawString(int x, int y, string text, int color = -1, float scale = 1f, int xSpacing = 0, int ySpacing = 2, bool monoSpace = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!(scale > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), "Error: 0 < scale!");
        }

        const int w = BitmapFont.CellWidth;
        const int h = BitmapFont.CellHeight;
        int xOff = x;
        int yOff = y;
        char last = '\0';
        foreach (char ch in text)
        {
            char previous = last;
            last = ch;
            if (previous == '\r' && ch == '\n')
            {
                continue;
            }

            if (ch is '\n' or '\r')
            {
                xOff = x;
                yOff += Round(h * scale) + ySpacing;
                continue;
            }

            if (ch < ' ' || ch > '~')
            {
                // MaixPy's placeholder box (its width and height arguments are swapped in the firmware, kept).
                int inset = Round(scale * 3) / 2;
                DrawRectangle(xOff + inset, yOff + inset, Round(h * scale) - (inset * 2), Round(w * scale) - (inset * 2), color, Round(scale));
                continue;
            }

            int first = -1;
            int lastInk = -1;
            for (int cx = 0; cx < w; cx++)
            {
                if (ColumnInked(ch, cx))
                {
                    if (first < 0)
                    {
                        first = cx;
                    }

                    lastInk = cx;
                }
            }

            if (!monoSpace && first >= 0)
            {
                xOff -= Round(first * scale);
            }

            for (int py = 0, rows = Round(h * scale); py < rows; py++)
            {
                int row = Round(py / scale);
                for (int px = 0, cols = Round(w * scale); px < cols; px++)
                {
                    if (BitmapFont.IsSet(ch, Round(px / scale), row))
                    {
                        SetPixel(xOff + px, yOff + py, color);
                    }
                }
            }

            if (monoSpace)
            {
                xOff += Round(w * scale) + xSpacing;
            }
            else if (lastInk >= 0)
            {
                xOff += Round((lastInk + 2) * scale) + xSpacing;
            }
            else
            {
                xOff += Round(scale * 3);
            }
        }

        return this;
    }

    private static int Round(float v) => (int)MathF.Round(v, MidpointRounding.AwayFromZero);

    private static bool ColumnInked(char ch, int column)
    {
        for (int row = 0; row < BitmapFont.CellHeight; row++)
        {
            if (BitmapFont.IsSet(ch, column, row))
            {
                return true;
            }
        }

        return false;
    }

    // imlib's image_get_mask_pixel: a pixel is "set" when its grey value is above the middle (outside: not set).
    private bool IsMaskSet(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return false;
        }

        (byte r, byte g, byte b) = GetRgb(x, y);
        return Format == PixelFormat.Grayscale ? r > 127 : ColorTables.Rgb888ToGray(r, g, b) > 127;
    }

    private void PointFill(int cx, int cy, int r0, int r1, int color)
    {
        for (int y = r0; y <= r1; y++)
        {
            for (int x = r0; x <= r1; x++)
            {
                if ((x * x) + (y * y) <= r0 * r0)
                {
                    SetPixel(cx + x, cy + y, color);
                }
            }
        }
    }

    private void HLine(int x1, int x2, int y, int color)
    {
        if ((uint)y >= (uint)Height)
        {
            return;
        }

        for (int x = Math.Max(x1, 0), end = Math.Min(x2, Width - 1); x <= end; x++)
        {
            SetPixel(x, y, color);
        }
    }

    private void VLine(int x, int y1, int y2, int color)
    {
        if ((uint)x >= (uint)Width)
        {
            return;
        }

        for (int y = Math.Max(y1, 0), end = Math.Min(y2, Height - 1); y <= end; y++)
        {
            SetPixel(x, y, color);
        }
    }
}
