using K210Kpu.Imaging;
using K210Kpu.Maix;

namespace K210Kpu.Scripting.Bridge;

/// <summary>
/// The one object the embedded Python modules (<c>KPU</c>, <c>image</c>, <c>sensor</c>, <c>lcd</c>, <c>time</c>…) call
/// into: the board a script runs on. Pixels are <see cref="Image"/>s, models <see cref="KpuTask"/>s and outputs
/// <see cref="FeatureMap"/>s of K210Kpu's MaixPy API; errors are <see cref="MaixPyException"/> or
/// <see cref="MaixError"/>, which the modules re-raise as MaixPy's Python exceptions. Not meant for C# callers.
/// </summary>
public sealed partial class ScriptBridge
{
    /// <summary>Simulated microseconds a snapshot costs (DVP frame hand-over).</summary>
    public const double SnapshotMicroseconds = 1000;

    /// <summary>Simulated microseconds <c>lcd.display</c> costs for a 320×240 RGB565 frame.</summary>
    public const double LcdMicroseconds = 5000;

    private readonly ScriptOptions _options;
    private readonly TextWriter _output;
    private readonly HashSet<string> _noticed = new(StringComparer.Ordinal);
    private readonly List<string> _notices = [];

    internal ScriptBridge(ScriptOptions options, string scriptPath)
    {
        _options = options;
        _output = options.Output ?? Console.Out;
        string scriptDir = Path.GetDirectoryName(Path.GetFullPath(scriptPath)) ?? ".";
        SdRoot = Path.GetFullPath(options.SdDirectory ?? scriptDir);
        FlashRoot = Path.GetFullPath(options.FlashFsDirectory ?? scriptDir);
        foreach (string p in options.FlashPackages)
        {
            ScriptFlash.Add(Flash, p);
        }
    }

    /// <summary>Host folder behind <c>/sd</c>.</summary>
    public string SdRoot { get; }

    /// <summary>Host folder behind <c>/flash</c>.</summary>
    public string FlashRoot { get; }

    /// <summary>Whether an SD card folder was given (MaixPy then starts in <c>/sd</c>).</summary>
    public bool HasSd => _options.SdDirectory is not null;

    /// <summary>The simulated board clock.</summary>
    public SimulatedClock Clock { get; } = new();

    /// <summary>The board's SPI flash, filled from the packages.</summary>
    public Flash Flash { get; } = new();

    /// <summary>Snapshots taken.</summary>
    public int Frames { get; private set; }

    /// <summary>Objects returned by <c>run_yolo2</c>.</summary>
    public int Detections { get; private set; }

    /// <summary>Model runs.</summary>
    public int KpuRuns { get; private set; }

    /// <summary>Why snapshots stopped (null while frames remain).</summary>
    public string? EndReason { get; private set; }

    /// <summary>Simulation notices printed so far.</summary>
    public IReadOnlyList<string> Notices => _notices;

    /// <summary>The writer the script's output goes to.</summary>
    public TextWriter Output => _output;

    /// <summary>Script output (<c>print</c>).</summary>
    public void Write(string text) => _output.Write(text);

    /// <summary>Flushes script output.</summary>
    public void Flush() => _output.Flush();

    /// <summary>Prints <paramref name="message"/> to stderr the first time <paramref name="key"/> is seen.</summary>
    public void Notice(string key, string message)
    {
        if (_noticed.Add(key))
        {
            _notices.Add(message);
            Console.Error.WriteLine($"[kpu] {message}");
        }
    }

    /// <summary>Microseconds on the simulated clock.</summary>
    public long TicksUs() => Clock.Microseconds;

    /// <summary>Ends the run cleanly for <paramref name="reason"/> (the script module raises the end right after).</summary>
    public void EndRun(string reason) => EndReason = reason;

    /// <summary>Advances the simulated clock (sleeps).</summary>
    public void Sleep(double microseconds) => Clock.Advance(microseconds);

    /// <summary>
    /// The next camera frame of the given frame size (a <see cref="FrameSize"/> name), window and format, with its KPU
    /// buffer filled as the DVP fills it; null when the pictures (or <see cref="ScriptOptions.MaxFrames"/>) are used up.
    /// Pictures go through <see cref="Sensor"/>; raw <c>.bin</c> frames (planar, exactly the window's size) are taken as they are.
    /// </summary>
    public Image? Snapshot(string frameSize, int windowWidth, int windowHeight, bool grayscale)
    {
        if (_options.MaxFrames is { } max && Frames >= max)
        {
            EndReason = "max frames";
            return null;
        }

        if (Frames >= _options.Frames.Count)
        {
            EndReason = _options.Frames.Count == 0 ? "no frames" : "end of frames";
            return null;
        }

        string path = _options.Frames[Frames];
        Frames++;
        Clock.Advance(SnapshotMicroseconds);
        if (path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            return RawFrame(path, windowWidth, windowHeight, grayscale);
        }

        FrameSize size = Enum.Parse<FrameSize>(frameSize);
        (int fw, int fh) = Sensor.SizeOf(size);
        Sensor.SetSource([path]);
        Sensor.SetFrameSize(size);
        if (windowWidth != fw || windowHeight != fh)
        {
            Sensor.SetWindowing(windowWidth, windowHeight);
        }

        Sensor.SetPixFormat(grayscale ? PixelFormat.Grayscale : PixelFormat.Rgb565);
        Sensor.Run(1);
        try
        {
            return Sensor.Snapshot();
        }
        catch (InvalidDataException ex)
        {
            throw MaixError.OS($"sensor: {ex.Message}");
        }
    }

    /// <summary>A new black image.</summary>
    public Image NewImage(int width, int height, bool grayscale)
    {
        if (width <= 0 || height <= 0)
        {
            throw MaixError.Value($"image size {width}x{height} is not valid");
        }

        return new Image(width, height, grayscale ? PixelFormat.Grayscale : PixelFormat.Rgb565);
    }

    /// <summary>Loads a picture file (host path) as an RGB565 or GRAYSCALE image; its KPU buffer is unset as in MaixPy.</summary>
    public Image LoadImage(string hostPath, bool grayscale)
    {
        if (!File.Exists(hostPath))
        {
            throw MaixError.OS("[Errno 2] ENOENT");
        }

        try
        {
            return ImageIO.Load(hostPath, grayscale ? PixelFormat.Grayscale : PixelFormat.Rgb565);
        }
        catch (InvalidDataException ex)
        {
            throw MaixError.OS(ex.Message);
        }
    }

    /// <summary>Saves an image (PNG, JPEG or BMP by extension; host path).</summary>
    public void SaveImage(Image image, string hostPath) => ImageIO.Save(image, hostPath);

    /// <summary>Whether the image is GRAYSCALE (else RGB565 or RGB888).</summary>
    public bool IsGray(Image image) => image.Format == PixelFormat.Grayscale;

    /// <summary>A pixel as 0xRRGGBB, or -1 outside the image.</summary>
    public int GetRgb(Image image, int x, int y)
    {
        if ((uint)x >= (uint)image.Width || (uint)y >= (uint)image.Height)
        {
            return -1;
        }

        (byte r, byte g, byte b) = image.GetRgb(x, y);
        return (r << 16) | (g << 8) | b;
    }

    /// <summary>Rewrites the pixels from the KPU buffer (MaixPy <c>ai_to_pix</c>); nothing happens without a buffer.</summary>
    public void AiToPix(Image image)
    {
        if (!image.HasAiBuffer)
        {
            return;
        }

        ReadOnlySpan<byte> ai = image.AiBuffer;
        int n = image.Width * image.Height;
        for (int i = 0; i < n; i++)
        {
            int x = i % image.Width, y = i / image.Width;
            image.SetPixel(x, y, image.Format == PixelFormat.Grayscale ? ai[i] : image.Color(ai[i], ai[n + i], ai[(2 * n) + i]));
        }
    }

    /// <summary>A GRAYSCALE image over a copy of <paramref name="plane"/> (the KPU buffer stays unset).</summary>
    public Image GrayImage(int width, int height, byte[] plane)
    {
        if (plane.Length != width * height)
        {
            throw MaixError.Value($"plane of {plane.Length} bytes is not {width}x{height}");
        }

        var img = new Image(width, height, PixelFormat.Grayscale);
        plane.CopyTo(img.Data);
        return img;
    }

    /// <summary>Starts the LCD: a black panel whose frames go where <see cref="ScriptOptions.LcdOutput"/> says.</summary>
    public void LcdInit(int width, int height)
    {
        Lcd.Init(width, height);
        SetLcdOutput();
    }

    /// <summary><c>lcd.display(img, oft=...)</c>: draws the image on the panel and writes the panel out.</summary>
    public void LcdDisplay(Image image, bool hasOffset, int x, int y)
    {
        Clock.Advance(LcdMicroseconds * image.Width * image.Height / (320.0 * 240.0));
        _ = Lcd.Display(image, hasOffset ? (x, y) : null);
    }

    /// <summary><c>lcd.clear()</c>.</summary>
    public void LcdClear() => Lcd.Clear();

    /// <summary>Frames shown on the LCD.</summary>
    public int LcdFrames => Lcd.FramesDisplayed;

    internal void SetLcdOutput()
    {
        if (_options.LcdOutput is not { } output)
        {
            Lcd.SetOutput(null);
            return;
        }

        if (output.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || output.EndsWith(".bmp", StringComparison.OrdinalIgnoreCase) || output.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase))
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(output));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }

            Lcd.SetOutput(output);
        }
        else
        {
            Directory.CreateDirectory(output);
            Lcd.SetOutput(Path.Combine(output, "lcd.png"), numbered: true);
        }
    }

    /// <summary>A raw frame: planar R,G,B (or grey) bytes of exactly the window's size, as the DVP writes the KPU buffer.</summary>
    private static Image RawFrame(string path, int width, int height, bool grayscale)
    {
        byte[] raw = File.ReadAllBytes(path);
        int planes = grayscale ? 1 : 3;
        int n = width * height;
        if (raw.Length != n * planes)
        {
            throw MaixError.OS($"sensor: {Path.GetFileName(path)} has {raw.Length} bytes; a raw {width}x{height} frame with {planes} plane(s) has {n * planes}");
        }

        if (grayscale)
        {
            var gray = new Image(width, height, PixelFormat.Grayscale);
            raw.CopyTo(gray.Data);
            return gray;
        }

        var rgb888 = new Image(width, height, PixelFormat.Rgb888);
        Span<byte> d = rgb888.Data;
        for (int i = 0; i < n; i++)
        {
            d[i * 3] = raw[i];
            d[(i * 3) + 1] = raw[n + i];
            d[(i * 3) + 2] = raw[(2 * n) + i];
        }

        Image frame = rgb888.ToRgb565();
        frame.SetAiBuffer(raw);
        return frame;
    }
}
