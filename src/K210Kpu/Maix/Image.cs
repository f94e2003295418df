using System.Buffers.Binary;

namespace K210Kpu.Maix;

/// <summary>
/// A MaixPy-style image: a width × height frame of <see cref="PixelFormat.Rgb565"/>, <see cref="PixelFormat.Grayscale"/>
/// or <see cref="PixelFormat.Rgb888"/> pixels with MaixPy's (OpenMV imlib's) drawing and conversion arithmetic.
/// Coordinates outside the image are clipped, as in imlib. Not thread-safe.
/// </summary>
/// <remarks>
/// Like MaixPy's <c>image_t</c> an image can carry a second buffer, the KPU input ("pix_ai": planar R, G, B planes
/// or one grey plane). Camera-style sources (the desktop <c>Sensor</c>) fill it when the frame is captured; <see cref="PixToAi"/>
/// (re)computes it from the pixels. Drawing never changes it.
/// </remarks>
public sealed partial class Image
{
    /// <summary>Width of the default image (MaixPy's <c>CONFIG_LCD_DEFAULT_WIDTH</c>).</summary>
    public const int DefaultWidth = 320;

    /// <summary>Height of the default image (MaixPy's <c>CONFIG_LCD_DEFAULT_HEIGHT</c>).</summary>
    public const int DefaultHeight = 240;

    private readonly byte[] _pixels;
    private byte[]? _ai;

    /// <summary>A black 320×240 RGB565 frame, as MaixPy's <c>image.Image()</c>.</summary>
    public Image()
        : this(DefaultWidth, DefaultHeight, PixelFormat.Rgb565)
    {
    }

    /// <summary>A black frame of the given size and format.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive, or the frame exceeds 64 Mi pixels.</exception>
    public Image(int width, int height, PixelFormat format = PixelFormat.Rgb565)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)width * height, 64L * 1024 * 1024, nameof(width));
        if (format is not (PixelFormat.Grayscale or PixelFormat.Rgb565 or PixelFormat.Rgb888))
        {
            throw new ArgumentOutOfRangeException(nameof(format));
        }

        Width = width;
        Height = height;
        Format = format;
        _pixels = new byte[width * height * BytesPerPixelOf(format)];
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Pixel format.</summary>
    public PixelFormat Format { get; }

    /// <summary>Bytes per pixel: 1, 2 or 3.</summary>
    public int BytesPerPixel => BytesPerPixelOf(Format);

    /// <summary>
    /// The pixel bytes, row-major without padding: grey bytes; RGB565 as little-endian <c>ushort</c> (r5 &lt;&lt; 11 | g6 &lt;&lt; 5 | b5);
    /// RGB888 as R, G, B bytes. Writable; valid for the life of the image.
    /// </summary>
    public Span<byte> Data => _pixels;

    /// <summary>True when the image carries a KPU input buffer (set by a capture or by <see cref="PixToAi"/>).</summary>
    public bool HasAiBuffer => _ai is not null;

    /// <summary>The KPU input buffer (planar, <c>channels × Width × Height</c> bytes), or empty when there is none.</summary>
    public ReadOnlySpan<byte> AiBuffer => _ai;

    internal static int BytesPerPixelOf(PixelFormat format) => format switch
    {
        PixelFormat.Grayscale => 1,
        PixelFormat.Rgb565 => 2,
        _ => 3,
    };

    /// <summary>Channels of the KPU input made from this image: 1 for grayscale, 3 otherwise.</summary>
    public int AiChannels => Format == PixelFormat.Grayscale ? 1 : 3;

    /// <summary>
    /// The raw pixel at (x, y): the grey value, the RGB565 value, or <c>0xRRGGBB</c>; -1 when outside the image
    /// (imlib's <c>get_pixel</c>).
    /// </summary>
    public int GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return -1;
        }

        int i = (y * Width) + x;
        return Format switch
        {
            PixelFormat.Grayscale => _pixels[i],
            PixelFormat.Rgb565 => BinaryPrimitives.ReadUInt16LittleEndian(_pixels.AsSpan(i * 2)),
            _ => (_pixels[i * 3] << 16) | (_pixels[(i * 3) + 1] << 8) | _pixels[(i * 3) + 2],
        };
    }

    /// <summary>
    /// Sets the raw pixel at (x, y); ignored outside the image. The value is truncated to the format's width
    /// (8, 16 or 24 bits), so -1 is white in every format.
    /// </summary>
    public void SetPixel(int x, int y, int value)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        int i = (y * Width) + x;
        switch (Format)
        {
            case PixelFormat.Grayscale:
                _pixels[i] = (byte)value;
                break;
            case PixelFormat.Rgb565:
                BinaryPrimitives.WriteUInt16LittleEndian(_pixels.AsSpan(i * 2), (ushort)value);
                break;
            default:
                _pixels[i * 3] = (byte)(value >> 16);
                _pixels[(i * 3) + 1] = (byte)(value >> 8);
                _pixels[(i * 3) + 2] = (byte)value;
                break;
        }
    }

    /// <summary>The pixel at (x, y) as 8-bit R, G, B (RGB565 expanded with MaixPy's tables; grey repeated).</summary>
    /// <exception cref="ArgumentOutOfRangeException">(x, y) is outside the image.</exception>
    public (byte R, byte G, byte B) GetRgb(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}x{Height} image");
        }

        int p = GetPixel(x, y);
        return Format switch
        {
            PixelFormat.Grayscale => ((byte)p, (byte)p, (byte)p),
            PixelFormat.Rgb565 => (ColorTables.Rb528[ColorTables.R5((ushort)p)], ColorTables.G628[ColorTables.G6((ushort)p)], ColorTables.Rb528[ColorTables.B5((ushort)p)]),
            _ => ((byte)(p >> 16), (byte)(p >> 8), (byte)p),
        };
    }

    /// <summary>
    /// The raw pixel value of an 8-bit colour in this image's format, as MaixPy converts a <c>(r, g, b)</c> colour tuple:
    /// RGB565 rounded per channel, grayscale by MaixPy's luma.
    /// </summary>
    public int Color(byte r, byte g, byte b) => Format switch
    {
        PixelFormat.Grayscale => ColorTables.Rgb565ToGray(ColorTables.Rgb888To565(r, g, b)),
        PixelFormat.Rgb565 => ColorTables.Rgb888To565(r, g, b),
        _ => (r << 16) | (g << 8) | b,
    };

    /// <summary>Sets every pixel to 0 (black), as <c>img.clear()</c>.</summary>
    public Image Clear()
    {
        Array.Clear(_pixels);
        return this;
    }

    /// <summary>
    /// Computes the KPU input buffer from the pixels and keeps it with the image (MaixPy's <c>img.pix_to_ai()</c>):
    /// RGB565 → three planes R, G, B of Width × Height bytes each, with MaixPy's bit expansion
    /// (<c>rb528</c>/<c>g628</c> tables); grayscale → a copy of the pixels; RGB888 → the three planes as they are.
    /// Later drawing does not update it (call again), as on MaixPy.
    /// </summary>
    public void PixToAi()
    {
        byte[] ai = _ai is { Length: var n } existing && n == Width * Height * AiChannels ? existing : new byte[Width * Height * AiChannels];
        WritePlanar(ai);
        _ai = ai;
    }

    /// <summary>Writes the planar KPU form of the current pixels (what <see cref="PixToAi"/> stores) to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is smaller than <c>AiChannels × Width × Height</c>.</exception>
    public void WritePlanar(Span<byte> destination)
    {
        int plane = Width * Height;
        if (destination.Length < plane * AiChannels)
        {
            throw new ArgumentException($"the planar form of a {Width}x{Height} {Format} image needs {plane * AiChannels} bytes", nameof(destination));
        }

        switch (Format)
        {
            case PixelFormat.Grayscale:
                _pixels.AsSpan().CopyTo(destination);
                break;
            case PixelFormat.Rgb565:
                for (int i = 0; i < plane; i++)
                {
                    ushort p = BinaryPrimitives.ReadUInt16LittleEndian(_pixels.AsSpan(i * 2));
                    destination[i] = ColorTables.Rb528[ColorTables.R5(p)];
                    destination[plane + i] = ColorTables.G628[ColorTables.G6(p)];
                    destination[(2 * plane) + i] = ColorTables.Rb528[ColorTables.B5(p)];
                }

                break;
            default:
                for (int i = 0; i < plane; i++)
                {
                    destination[i] = _pixels[i * 3];
                    destination[plane + i] = _pixels[(i * 3) + 1];
                    destination[(2 * plane) + i] = _pixels[(i * 3) + 2];
                }

                break;
        }
    }

    /// <summary>The planar KPU form of the current pixels, freshly computed (see <see cref="WritePlanar"/>).</summary>
    public byte[] ToPlanar()
    {
        byte[] result = new byte[Width * Height * AiChannels];
        WritePlanar(result);
        return result;
    }

    /// <summary>
    /// The inverse of <see cref="WritePlanar"/> for KPU input: 1 plane → a grayscale image, 3 planes (R, G, B) → RGB888.
    /// </summary>
    /// <exception cref="ArgumentException">Channels other than 1 or 3, or <paramref name="planar"/> shorter than channels × width × height.</exception>
    public static Image FromPlanar(ReadOnlySpan<byte> planar, int width, int height, int channels)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentException($"a planar picture has 1 or 3 channels, not {channels}", nameof(channels));
        }

        var img = new Image(width, height, channels == 1 ? PixelFormat.Grayscale : PixelFormat.Rgb888);
        int plane = width * height;
        if (planar.Length < plane * channels)
        {
            throw new ArgumentException($"a {channels}x{height}x{width} planar picture needs {plane * channels} bytes, got {planar.Length}", nameof(planar));
        }

        for (int i = 0; i < plane; i++)
        {
            img.SetPixel(i % width, i / width, channels == 1 ? planar[i] : img.Color(planar[i], planar[plane + i], planar[(2 * plane) + i]));
        }

        return img;
    }

    /// <summary>Replaces the KPU input buffer (what a camera's DVP writes beside the frame); null removes it.</summary>
    /// <exception cref="ArgumentException">The buffer is not <c>AiChannels × Width × Height</c> bytes.</exception>
    public void SetAiBuffer(byte[]? planar)
    {
        if (planar is not null && planar.Length != Width * Height * AiChannels)
        {
            throw new ArgumentException($"the KPU buffer of a {Width}x{Height} {Format} image has {Width * Height * AiChannels} bytes", nameof(planar));
        }

        _ai = planar;
    }

    /// <summary>A copy of the whole image (pixels only; the copy has no KPU buffer, as in MaixPy).</summary>
    public Image Copy() => Copy(0, 0, Width, Height);

    /// <summary>
    /// A new image holding the region (x, y, w, h) (MaixPy's <c>copy(roi=...)</c> / <c>crop</c>). The region is
    /// clipped to the image first.
    /// </summary>
    /// <exception cref="ArgumentException">The region does not overlap the image.</exception>
    public Image Copy(int x, int y, int w, int h)
    {
        int x0 = Math.Max(x, 0);
        int y0 = Math.Max(y, 0);
        int x1 = (int)Math.Min((long)x + w, Width);
        int y1 = (int)Math.Min((long)y + h, Height);
        if (x1 <= x0 || y1 <= y0)
        {
            throw new ArgumentException("Region of interest does not overlap the image");
        }

        var result = new Image(x1 - x0, y1 - y0, Format);
        int bpp = BytesPerPixel;
        for (int row = y0; row < y1; row++)
        {
            _pixels.AsSpan(((row * Width) + x0) * bpp, (x1 - x0) * bpp)
                .CopyTo(result._pixels.AsSpan((row - y0) * result.Width * bpp));
        }

        return result;
    }

    /// <summary>Same as <see cref="Copy(int, int, int, int)"/> (MaixPy's <c>crop</c> returns the cropped image).</summary>
    public Image Crop(int x, int y, int w, int h) => Copy(x, y, w, h);

    /// <summary>
    /// A grayscale copy (MaixPy's <c>to_grayscale(copy=True)</c>; MaixPy converts in place by default, here the
    /// original is left unchanged). RGB565 uses MaixPy's luma table arithmetic; RGB888 BT.601 luma rounded to nearest.
    /// </summary>
    public Image ToGrayscale()
    {
        var result = new Image(Width, Height, PixelFormat.Grayscale);
        int n = Width * Height;
        switch (Format)
        {
            case PixelFormat.Grayscale:
                _pixels.AsSpan().CopyTo(result._pixels);
                break;
            case PixelFormat.Rgb565:
                for (int i = 0; i < n; i++)
                {
                    result._pixels[i] = ColorTables.Rgb565ToGray(BinaryPrimitives.ReadUInt16LittleEndian(_pixels.AsSpan(i * 2)));
                }

                break;
            default:
                for (int i = 0; i < n; i++)
                {
                    result._pixels[i] = ColorTables.Rgb888ToGray(_pixels[i * 3], _pixels[(i * 3) + 1], _pixels[(i * 3) + 2]);
                }

                break;
        }

        return result;
    }

    /// <summary>An RGB565 copy (grey g becomes (g, g, g); RGB888 rounded per channel).</summary>
    public Image ToRgb565()
    {
        var result = new Image(Width, Height, PixelFormat.Rgb565);
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                (byte r, byte g, byte b) = GetRgb(x, y);
                result.SetPixel(x, y, ColorTables.Rgb888To565(r, g, b));
            }
        }

        return result;
    }

    /// <summary>An RGB888 copy (RGB565 expanded with MaixPy's tables; grey repeated).</summary>
    public Image ToRgb888()
    {
        var result = new Image(Width, Height, PixelFormat.Rgb888);
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                (byte r, byte g, byte b) = GetRgb(x, y);
                result.SetPixel(x, y, (r << 16) | (g << 8) | b);
            }
        }

        return result;
    }

    /// <summary>
    /// MaixPy's <c>img.stretch(to_min, to_max)</c> (grayscale only), in place: min0/max0 over the interior pixels
    /// (x in 1..w-2, y in 1..h-2, starting from pixel (1, 1)); nothing happens when they are equal;
    /// <c>scale = (to_max - to_min) / (max0 - min0)</c> in <b>integer</b> division, capped at 5; every pixel
    /// (border included) becomes <c>(p - min0) · scale + to_min</c> in single precision, truncated toward zero and
    /// wrapped to 8 bits as the K210 stores it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The image is not grayscale (MaixPy prints "only support grayscale now").</exception>
    public void Stretch(int toMin, int toMax)
    {
        if (Format != PixelFormat.Grayscale)
        {
            throw new InvalidOperationException("only support grayscale now");
        }

        int w = Width;
        int h = Height;
        if (w + 1 >= _pixels.Length)
        {
            // MaixPy reads pixel (1, 1) as the start value; an image that small has none (out of bounds on the device).
            return;
        }

        float mn = _pixels[w + 1];
        float mx = _pixels[w + 1];
        for (int y = 1; y < h - 1; y++)
        {
            for (int x = 1; x < w - 1; x++)
            {
                byte p = _pixels[(y * w) + x];
                if (p < mn)
                {
                    mn = p;
                }

                if (p > mx)
                {
                    mx = p;
                }
            }
        }

        byte min0 = (byte)mn;
        byte max0 = (byte)mx;
        if (max0 == min0)
        {
            return;
        }

        float scale = (toMax - toMin) / (max0 - min0);
        if (scale > 5)
        {
            scale = 5;
        }

        for (int i = 0; i < _pixels.Length; i++)
        {
            float v = ((_pixels[i] - min0) * scale) + toMin;
            _pixels[i] = (byte)(int)v;
        }
    }

    /// <summary>
    /// MaixPy's <c>img.resize(w, h)</c>: a new image. Grayscale: bilinear when either side grows, else the average of
    /// the covered source block (MaixPy's code, including its use of the vertical ratio for x). RGB565: a plain copy
    /// when the size is equal, nearest neighbour when shrinking, bilinear on the 5/6-bit channels when growing.
    /// RGB888 (desktop extension) follows the grayscale rules per channel.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    public Image Resize(int w, int h)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(w, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(h, 1);
        var result = new Image(w, h, Format);
        switch (Format)
        {
            case PixelFormat.Rgb565:
                ResizeRgb565(result);
                break;
            case PixelFormat.Grayscale:
                ResizeGray(_pixels, Width, Height, result._pixels, w, h, 1, 0);
                break;
            default:
                for (int c = 0; c < 3; c++)
                {
                    ResizeGray(_pixels, Width, Height, result._pixels, w, h, 3, c);
                }

                break;
        }

        return result;
    }

    private static void ResizeGray(byte[] src, int w0, int h0, byte[] dst, int w, int h, int stride, int channel)
    {
        float sx = (float)w0 / w;
        float sy = (float)h0 / h;
        if (w >= w0 || h >= h0)
        {
            for (int y = 0; y < h; y++)
            {
                // MaixPy: yf = (y + 0.5) * sy - 0.5 in single precision (its build makes every constant a float).
                float yf = ((y + 0.5f) * sy) - 0.5f;
                int y0 = (int)yf;
                int y1 = y0 + 1;
                int vy1 = y0 < h0 - 1 ? y1 : y0;
                for (int x = 0; x < w; x++)
                {
                    float xf = ((x + 0.5f) * sx) - 0.5f;
                    int x0 = (int)xf;
                    int x1 = x0 + 1;
                    int vx1 = x0 < w0 - 1 ? x1 : x0;
                    float v = (At(src, w0, h0, x0, y0, stride, channel) * (x1 - xf) * (y1 - yf))
                        + (At(src, w0, h0, vx1, y0, stride, channel) * (xf - x0) * (y1 - yf))
                        + (At(src, w0, h0, x0, vy1, stride, channel) * (x1 - xf) * (yf - y0))
                        + (At(src, w0, h0, vx1, vy1, stride, channel) * (xf - x0) * (yf - y0));
                    dst[(((y * w) + x) * stride) + channel] = (byte)(int)v;
                }
            }
        }
        else
        {
            for (int y = 0; y < h; y++)
            {
                int y0 = (int)(y * sy);
                int y1 = (int)((y + 1) * sy);
                for (int x = 0; x < w; x++)
                {
                    // MaixPy uses sy for x as well (a slip in its code, kept: it only matters when the ratios differ).
                    int x0 = (int)(x * sy);
                    int x1 = (int)((x + 1) * sy);
                    int sum = 0;
                    for (int yy = y0; yy <= y1; yy++)
                    {
                        for (int xx = x0; xx <= x1; xx++)
                        {
                            sum += At(src, w0, h0, xx, yy, stride, channel);
                        }
                    }

                    dst[(((y * w) + x) * stride) + channel] = (byte)(sum / ((y1 - y0 + 1) * (x1 - x0 + 1)));
                }
            }
        }
    }

    // MaixPy reads one row/column past the edge in a few corner cases; here those reads are clamped to the image.
    private static int At(byte[] src, int w0, int h0, int x, int y, int stride, int channel) =>
        src[(((Math.Clamp(y, 0, h0 - 1) * w0) + Math.Clamp(x, 0, w0 - 1)) * stride) + channel];

    private void ResizeRgb565(Image result)
    {
        int w0 = Width;
        int h0 = Height;
        int w = result.Width;
        int h = result.Height;
        float sx = (float)w0 / w;
        float sy = (float)h0 / h;
        if (w0 == w && h0 == h)
        {
            _pixels.AsSpan().CopyTo(result._pixels);
        }
        else if (w0 >= w || h0 > h)
        {
            for (int y = 0; y < h; y++)
            {
                int y0 = Math.Min((int)(y * sy), h0 - 1);
                for (int x = 0; x < w; x++)
                {
                    int x0 = Math.Min((int)(x * sx), w0 - 1);
                    result.SetPixel(x, y, GetPixel(x0, y0));
                }
            }
        }
        else
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    float xs = ((x + 0.5f) * sx) - 0.5f;
                    float ys = ((y + 0.5f) * sy) - 0.5f;
                    ushort x1 = (ushort)(int)xs;
                    ushort x2 = (ushort)(x1 + 1);
                    ushort y1 = (ushort)(int)ys;
                    ushort y2 = (ushort)(y1 + 1);
                    if (x2 >= w0 || y2 >= h0)
                    {
                        result.SetPixel(x, y, GetPixel(x1, y1));
                        continue;
                    }

                    ushort p11 = (ushort)GetPixel(x1, y1);
                    ushort p21 = (ushort)GetPixel(x2, y1);
                    ushort p12 = (ushort)GetPixel(x1, y2);
                    ushort p22 = (ushort)GetPixel(x2, y2);
                    byte r = Blend(ColorTables.R5(p11), ColorTables.R5(p21), ColorTables.R5(p12), ColorTables.R5(p22), x2 - xs, xs - x1, y2 - ys, ys - y1);
                    byte g = Blend(ColorTables.G6(p11), ColorTables.G6(p21), ColorTables.G6(p12), ColorTables.G6(p22), x2 - xs, xs - x1, y2 - ys, ys - y1);
                    byte b = Blend(ColorTables.B5(p11), ColorTables.B5(p21), ColorTables.B5(p12), ColorTables.B5(p22), x2 - xs, xs - x1, y2 - ys, ys - y1);
                    result.SetPixel(x, y, ColorTables.Pack565(r & 0x1F, g & 0x3F, b & 0x1F));
                }
            }
        }
    }

    private static byte Blend(int v11, int v21, int v12, int v22, float fx2, float fx1, float fy2, float fy1)
    {
        float t1 = (fx2 * v11) + (fx1 * v21);
        float t2 = (fx2 * v12) + (fx1 * v22);
        return (byte)(int)((fy2 * t1) + (fy1 * t2));
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{{\"w\":{Width}, \"h\":{Height}, \"type\":\"{Format switch { PixelFormat.Grayscale => "grayscale", PixelFormat.Rgb565 => "rgb565", _ => "rgb888" }}\", \"size\":{_pixels.Length}}}";
}
