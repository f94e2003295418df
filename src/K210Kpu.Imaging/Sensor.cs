using K210Kpu.Imaging;
using SkiaSharp;

namespace K210Kpu.Maix;

/// <summary>
/// MaixPy's <c>sensor</c> module on the desktop: the "camera" serves pictures from a file, a folder (its pictures
/// in name order, looping) or a list of files (looping). Each frame is scaled to fit the frame size (aspect kept,
/// centred on black; copied as it is when the size already matches), cropped to the window, and converted to the
/// pixel format. As the K210's DVP does, an RGB565 frame carries its KPU buffer in full 8-bit planar RGB taken from the
/// picture (so the KPU sees the picture's colours, not RGB565-rounded ones); a grayscale frame's pixels are its KPU
/// buffer. Process-wide state, like the module; not thread-safe.
/// </summary>
public static class Sensor
{
    private static readonly Dictionary<string, SKBitmap> s_cache = [];
    private static string[] s_files = [];
    private static int s_next;
    private static PixelFormat s_format = PixelFormat.Rgb565;
    private static FrameSize s_frameSize = FrameSize.QVGA;
    private static (int W, int H)? s_window;
    private static bool s_running = true;

    /// <summary>Width of the frames <see cref="Snapshot"/> returns.</summary>
    public static int Width => s_window?.W ?? SizeOf(s_frameSize).W;

    /// <summary>Height of the frames <see cref="Snapshot"/> returns.</summary>
    public static int Height => s_window?.H ?? SizeOf(s_frameSize).H;

    /// <summary>Frames served since the source was set.</summary>
    public static int FrameCount { get; private set; }

    /// <summary>The picture files served, in order.</summary>
    public static IReadOnlyList<string> Files => s_files;

    /// <summary>Uses one picture file, or every picture (png, jpg, jpeg, bmp, gif, webp) of a folder in ordinal name order.</summary>
    /// <exception cref="FileNotFoundException">Neither a file nor a folder.</exception>
    /// <exception cref="ArgumentException">The folder holds no picture.</exception>
    public static void SetSource(string pictureOrFolder)
    {
        ArgumentNullException.ThrowIfNull(pictureOrFolder);
        if (Directory.Exists(pictureOrFolder))
        {
            string[] files = Directory.GetFiles(pictureOrFolder)
                .Where(PlanarPicture.IsPicture)
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToArray();
            if (files.Length == 0)
            {
                throw new ArgumentException($"{pictureOrFolder} holds no picture", nameof(pictureOrFolder));
            }

            SetSource(files);
        }
        else if (File.Exists(pictureOrFolder))
        {
            SetSource([pictureOrFolder]);
        }
        else
        {
            throw new FileNotFoundException($"{pictureOrFolder} is neither a picture nor a folder", pictureOrFolder);
        }
    }

    /// <summary>Uses a list of picture files, served in order and looping.</summary>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    public static void SetSource(IEnumerable<string> pictures)
    {
        ArgumentNullException.ThrowIfNull(pictures);
        string[] files = pictures.ToArray();
        if (files.Length == 0)
        {
            throw new ArgumentException("no picture given", nameof(pictures));
        }

        ClearCache();
        s_files = files;
        s_next = 0;
        FrameCount = 0;
    }

    /// <summary><c>sensor.reset()</c>: RGB565, QVGA, no window, running; restarts the source at its first picture.</summary>
    public static void Reset()
    {
        s_format = PixelFormat.Rgb565;
        s_frameSize = FrameSize.QVGA;
        s_window = null;
        s_running = true;
        s_next = 0;
    }

    /// <summary><c>sensor.set_pixformat(...)</c>: RGB565 or grayscale (RGB888 as a desktop extension).</summary>
    public static void SetPixFormat(PixelFormat format)
    {
        if (format is not (PixelFormat.Rgb565 or PixelFormat.Grayscale or PixelFormat.Rgb888))
        {
            throw new ArgumentOutOfRangeException(nameof(format));
        }

        s_format = format;
    }

    /// <summary><c>sensor.set_framesize(...)</c>; clears the window.</summary>
    public static void SetFrameSize(FrameSize size)
    {
        _ = SizeOf(size);
        s_frameSize = size;
        s_window = null;
    }

    /// <summary><c>sensor.set_windowing((w, h))</c>: frames are the centre w × h of the frame size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is empty or larger than the frame size.</exception>
    public static void SetWindowing(int width, int height)
    {
        (int fw, int fh) = SizeOf(s_frameSize);
        if (width < 1 || height < 1 || width > fw || height > fh)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"a {width}x{height} window does not fit the {fw}x{fh} frame");
        }

        s_window = (width, height);
    }

    /// <summary><c>sensor.run(1)</c> / <c>run(0)</c>: starts or stops the stream.</summary>
    public static void Run(int enable) => s_running = enable != 0;

    /// <summary><c>sensor.snapshot()</c>: the next frame (a new image each call).</summary>
    /// <exception cref="InvalidOperationException">No source was set, or the stream is stopped.</exception>
    /// <exception cref="InvalidDataException">A picture cannot be decoded.</exception>
    public static Image Snapshot()
    {
        if (s_files.Length == 0)
        {
            throw new InvalidOperationException("the sensor has no picture source: call Sensor.SetSource(picture or folder) first");
        }

        if (!s_running)
        {
            throw new InvalidOperationException("Sensor Timeout!! (the stream is stopped: call Sensor.Run(1))");
        }

        string file = s_files[s_next];
        s_next = (s_next + 1) % s_files.Length;
        FrameCount++;
        (int fw, int fh) = SizeOf(s_frameSize);
        Image frame = Frame(Picture(file), fw, fh);
        if (s_window is (int ww, int wh))
        {
            frame = frame.Copy((fw - ww) / 2, (fh - wh) / 2, ww, wh);
        }

        switch (s_format)
        {
            case PixelFormat.Rgb565:
            {
                Image rgb565 = frame.ToRgb565();
                rgb565.SetAiBuffer(frame.ToPlanar());
                return rgb565;
            }

            case PixelFormat.Grayscale:
            {
                var gray = new Image(frame.Width, frame.Height, PixelFormat.Grayscale);
                Span<byte> d = gray.Data;
                ReadOnlySpan<byte> s = frame.Data;
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = ImageIO.Luma(s[i * 3], s[(i * 3) + 1], s[(i * 3) + 2]);
                }

                return gray;
            }

            default:
                frame.PixToAi();
                return frame;
        }
    }

    /// <summary>Width and height of a frame size.</summary>
    public static (int W, int H) SizeOf(FrameSize size) => size switch
    {
        FrameSize.QQCIF => (88, 72),
        FrameSize.QCIF => (176, 144),
        FrameSize.CIF => (352, 288),
        FrameSize.QQSIF => (88, 60),
        FrameSize.QSIF => (176, 120),
        FrameSize.SIF => (352, 240),
        FrameSize.QQQQVGA => (40, 30),
        FrameSize.QQQVGA => (80, 60),
        FrameSize.QQVGA => (160, 120),
        FrameSize.QVGA => (320, 240),
        FrameSize.VGA => (640, 480),
        FrameSize.HQQQVGA => (60, 40),
        FrameSize.HQQVGA => (120, 80),
        FrameSize.HQVGA => (240, 160),
        FrameSize.B64X32 => (64, 32),
        FrameSize.B64X64 => (64, 64),
        FrameSize.B128X64 => (128, 64),
        FrameSize.B128X128 => (128, 128),
        FrameSize.B240X240 => (240, 240),
        FrameSize.LCD or FrameSize.QQVGA2 => (128, 160),
        FrameSize.WVGA => (720, 480),
        FrameSize.WVGA2 => (752, 480),
        FrameSize.SVGA => (800, 600),
        FrameSize.SXGA => (1280, 1024),
        FrameSize.UXGA => (1600, 1200),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    private static SKBitmap Picture(string file)
    {
        if (!s_cache.TryGetValue(file, out SKBitmap? bitmap))
        {
            using SKBitmap? decoded = SKBitmap.Decode(file) ?? throw new InvalidDataException($"{file} is not a picture that can be decoded (png, jpg, bmp)");
            bitmap = decoded.Copy(SKColorType.Rgba8888) ?? throw new InvalidDataException($"{file}: cannot convert to RGBA");
            if (s_cache.Count >= 16)
            {
                ClearCache();
            }

            s_cache[file] = bitmap;
        }

        return bitmap;
    }

    // The picture scaled to fit fw × fh (aspect kept, bilinear), centred on black, as an RGB888 image.
    private static Image Frame(SKBitmap picture, int fw, int fh)
    {
        if (picture.Width == fw && picture.Height == fh)
        {
            return ImageIO.FromRgba(picture.GetPixelSpan(), fw, fh, PixelFormat.Rgb888);
        }

        double scale = Math.Min((double)fw / picture.Width, (double)fh / picture.Height);
        int w = Math.Max(1, (int)Math.Round(picture.Width * scale));
        int h = Math.Max(1, (int)Math.Round(picture.Height * scale));
        using var scaled = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!picture.ScalePixels(scaled, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)))
        {
            throw new InvalidDataException($"cannot scale a {picture.Width}x{picture.Height} picture to {w}x{h}");
        }

        Image part = ImageIO.FromRgba(scaled.GetPixelSpan(), w, h, PixelFormat.Rgb888);
        var frame = new Image(fw, fh, PixelFormat.Rgb888);
        int x0 = (fw - w) / 2;
        int y0 = (fh - h) / 2;
        for (int y = 0; y < h; y++)
        {
            part.Data.Slice(y * w * 3, w * 3).CopyTo(frame.Data[((((y + y0) * fw) + x0) * 3)..]);
        }

        return frame;
    }

    private static void ClearCache()
    {
        foreach (SKBitmap b in s_cache.Values)
        {
            b.Dispose();
        }

        s_cache.Clear();
    }
}
