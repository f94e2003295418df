using System.Globalization;
using K210Kpu.Imaging;

namespace K210Kpu.Scripting.Bridge;

/// <summary>
/// The one object the embedded Python modules (<c>KPU</c>, <c>image</c>, <c>sensor</c>, <c>lcd</c>, <c>time</c>…) call
/// into: the board the script runs on. Methods take and return plain values, <see cref="FrameImage"/>,
/// <see cref="KpuNet"/> and <see cref="FeatureMapData"/>; errors are <see cref="MaixError"/> that the modules re-raise
/// as MaixPy's Python exceptions. Not meant for C# callers.
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
    private int _lcdFrames;

    internal ScriptBridge(ScriptOptions options, string scriptPath)
    {
        _options = options;
        _output = options.Output ?? Console.Out;
        string scriptDir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(scriptPath)) ?? ".";
        SdRoot = System.IO.Path.GetFullPath(options.SdDirectory ?? scriptDir);
        FlashRoot = System.IO.Path.GetFullPath(options.FlashFsDirectory ?? scriptDir);
        foreach (string p in options.FlashPackages)
        {
            Flash.AddPackage(p);
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

    internal FlashImage Flash { get; } = new();

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

    /// <summary>Advances the simulated clock (sleeps).</summary>
    public void Sleep(double microseconds) => Clock.Advance(microseconds);

    /// <summary>Adds to the detection count of the run.</summary>
    public void CountDetections(int n) => Detections += n;

    /// <summary>
    /// The next camera frame as a <paramref name="width"/>×<paramref name="height"/> image cropped to the centred
    /// window <paramref name="windowWidth"/>×<paramref name="windowHeight"/>, with its ai buffer filled; null when
    /// the pictures (or <see cref="ScriptOptions.MaxFrames"/>) are used up.
    /// </summary>
    public FrameImage? Snapshot(int width, int height, int windowWidth, int windowHeight, bool grayscale)
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
        byte[] planes = ReadFrame(path, width, height, grayscale ? 1 : 3);
        FrameImage full = grayscale ? FrameImage.FromGray(width, height, planes) : FrameImage.FromPlanarRgb(width, height, planes);
        if (windowWidth == width && windowHeight == height)
        {
            return full;
        }

        return WindowOf(full, (width - windowWidth) / 2, (height - windowHeight) / 2, windowWidth, windowHeight);
    }

    /// <summary>A new black image.</summary>
    public FrameImage NewImage(int width, int height, bool grayscale) => new(width, height, grayscale);

    /// <summary>Loads a picture file (host path) as an RGB565 or GRAYSCALE image; its ai buffer is unset as in MaixPy.</summary>
    public FrameImage LoadImage(string hostPath, bool grayscale)
    {
        if (!File.Exists(hostPath))
        {
            throw MaixError.OS($"[Errno 2] ENOENT");
        }

        try
        {
            PlanarPictureResult probe = PlanarPicture.Load(hostPath, 1, 1, 1);
            PlanarPictureResult pic = PlanarPicture.Load(hostPath, probe.SourceWidth, probe.SourceHeight, grayscale ? 1 : 3);
            FrameImage img = grayscale
                ? FrameImage.FromGray(probe.SourceWidth, probe.SourceHeight, pic.Data)
                : FrameImage.FromPlanarRgb(probe.SourceWidth, probe.SourceHeight, pic.Data);
            img.PixAi = null;
            return img;
        }
        catch (InvalidDataException ex)
        {
            throw MaixError.OS(ex.Message);
        }
    }

    /// <summary>Saves an image as PNG (host path).</summary>
    public void SaveImage(FrameImage image, string hostPath) => PngWriter.Write(hostPath, image.Width, image.Height, image.ToRgb24());

    /// <summary><c>lcd.display</c>: counts the frame and writes it where <see cref="ScriptOptions.LcdOutput"/> says.</summary>
    public void LcdDisplay(FrameImage image)
    {
        _lcdFrames++;
        Clock.Advance(LcdMicroseconds * image.Width * image.Height / (320.0 * 240.0));
        if (_options.LcdOutput is not { } output)
        {
            return;
        }

        string path = output.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
            ? output
            : System.IO.Path.Combine(output, string.Create(CultureInfo.InvariantCulture, $"lcd_{_lcdFrames:D5}.png"));
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        SaveImage(image, path);
    }

    /// <summary>Frames shown on the LCD.</summary>
    public int LcdFrames => _lcdFrames;

    /// <summary>
    /// A frame's planar pixels: a picture resized to the frame size, or a raw <c>.bin</c> of exactly
    /// channels×height×width bytes (planar R,G,B or grey, what the DVP writes to the ai buffer).
    /// </summary>
    private static byte[] ReadFrame(string path, int width, int height, int channels)
    {
        if (path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            byte[] raw = File.ReadAllBytes(path);
            int expected = width * height * channels;
            if (raw.Length != expected)
            {
                throw MaixError.OS($"sensor: {System.IO.Path.GetFileName(path)} has {raw.Length} bytes; a raw {width}x{height} frame with {channels} plane(s) has {expected}");
            }

            return raw;
        }

        try
        {
            return PlanarPicture.Load(path, width, height, channels).Data;
        }
        catch (InvalidDataException ex)
        {
            throw MaixError.OS($"sensor: {ex.Message}");
        }
    }

    private static FrameImage WindowOf(FrameImage full, int x, int y, int w, int h)
    {
        FrameImage win = full.Crop(x, y, w, h);
        if (full.PixAi is { } ai)
        {
            int planes = full.IsGrayscale ? 1 : 3;
            byte[] dst = new byte[w * h * planes];
            for (int c = 0; c < planes; c++)
            {
                for (int r = 0; r < h; r++)
                {
                    Array.Copy(ai, (c * full.Width * full.Height) + ((y + r) * full.Width) + x, dst, (c * w * h) + (r * w), w);
                }
            }

            win.PixAi = dst;
        }

        return win;
    }
}
