using K210Kpu.Imaging;

namespace K210Kpu.Maix;

/// <summary>
/// MaixPy's <c>lcd</c> module on the desktop: a width × height RGB565 panel (320×240 by default) whose every displayed
/// frame is written as PNG, either to one file kept up to date or to a numbered sequence. Images are drawn centred
/// on black (or at an offset) and clipped to the panel. Process-wide state, like the module; not thread-safe.
/// </summary>
public static class Lcd
{
    private static Image s_panel = new(320, 240, PixelFormat.Rgb565);
    private static string? s_path;
    private static bool s_sequence;

    /// <summary>Panel width.</summary>
    public static int Width => s_panel.Width;

    /// <summary>Panel height.</summary>
    public static int Height => s_panel.Height;

    /// <summary>Frames displayed since <see cref="Init"/>.</summary>
    public static int FramesDisplayed { get; private set; }

    /// <summary>The file the last frame was written to, or null.</summary>
    public static string? LastFile { get; private set; }

    /// <summary>A copy of the panel as it shows now.</summary>
    public static Image Snapshot() => s_panel.Copy();

    /// <summary><c>lcd.init()</c>: a black panel of the given size; the frame counter restarts.</summary>
    public static void Init(int width = 320, int height = 240)
    {
        s_panel = new Image(width, height, PixelFormat.Rgb565);
        FramesDisplayed = 0;
        LastFile = null;
    }

    /// <summary>
    /// Where frames go: <paramref name="pngPath"/> rewritten on every frame, or with <paramref name="numbered"/> one
    /// file per frame named <c>name_0001.png</c>, <c>name_0002.png</c>, ... beside it. Null stops writing.
    /// </summary>
    public static void SetOutput(string? pngPath, bool numbered = false)
    {
        s_path = pngPath;
        s_sequence = numbered;
    }

    /// <summary><c>lcd.clear()</c>: a black panel.</summary>
    public static void Clear() => s_panel.Clear();

    /// <summary>
    /// <c>lcd.display(img)</c>: draws the image centred on the panel, the rest of the panel black (a larger image is
    /// cropped around its centre), as MaixPy does without <c>oft</c>; or, with <paramref name="offset"/> (MaixPy's
    /// <c>oft=(x, y)</c>), with its top-left corner there over what the panel shows, clipped. Then writes the panel
    /// to the output.
    /// </summary>
    /// <returns>The file written, or null when no output is set.</returns>
    public static string? Display(Image image, (int X, int Y)? offset = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (offset is null)
        {
            s_panel.Clear();
        }

        (int x0, int y0) = offset ?? ((Width - image.Width) / 2, (Height - image.Height) / 2);
        for (int y = 0; y < image.Height; y++)
        {
            int py = y + y0;
            if ((uint)py >= (uint)Height)
            {
                continue;
            }

            for (int x = 0; x < image.Width; x++)
            {
                int px = x + x0;
                if ((uint)px < (uint)Width)
                {
                    (byte r, byte g, byte b) = image.GetRgb(x, y);
                    s_panel.SetPixel(px, py, s_panel.Color(r, g, b));
                }
            }
        }

        FramesDisplayed++;
        if (s_path is null)
        {
            return null;
        }

        string file = s_sequence
            ? Path.Combine(Path.GetDirectoryName(s_path) ?? ".", $"{Path.GetFileNameWithoutExtension(s_path)}_{FramesDisplayed:D4}{Path.GetExtension(s_path)}")
            : s_path;
        ImageIO.Save(s_panel, file);
        LastFile = file;
        return file;
    }
}
