using SkiaSharp;

namespace K210Kpu.Imaging;

/// <summary>
/// Turns a picture file (PNG, JPEG, BMP, ...) into a KPU model input: uint8 planar CHW with planes R, G, B,
/// or one grey plane — what MaixPy's <c>pix_to_ai</c> buffer and the SDK feed the KPU.
/// </summary>
public static class PlanarPicture
{
    /// <summary>Whether <paramref name="path"/> looks like a picture by its extension.</summary>
    public static bool IsPicture(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".bmp" or ".gif" or ".webp";

    /// <summary>
    /// Decodes <paramref name="path"/> and converts it to <paramref name="channels"/> planes (3 = R,G,B; 1 = grey,
    /// ITU-R 601 luma with integer rounding as PIL's <c>convert('L')</c>), resized bilinearly to
    /// <paramref name="width"/>×<paramref name="height"/> only when its size differs.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a decodable picture.</exception>
    public static PlanarPictureResult Load(string path, int width, int height, int channels)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "a picture can feed 1 (grey) or 3 (RGB) channels");
        }

        using SKBitmap? decoded = SKBitmap.Decode(path);
        if (decoded is null)
        {
            throw new InvalidDataException($"{path} is not a picture that can be decoded (png, jpg, bmp)");
        }

        int srcW = decoded.Width, srcH = decoded.Height;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var rgba = new SKBitmap(info);
        bool resized = srcW != width || srcH != height;
        if (resized)
        {
            using SKBitmap src = decoded.Copy(SKColorType.Rgba8888) ?? throw new InvalidDataException($"{path}: cannot convert to RGBA");
            if (!src.ScalePixels(rgba, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)))
            {
                throw new InvalidDataException($"{path}: cannot resize {srcW}x{srcH} to {width}x{height}");
            }
        }
        else if (!decoded.CopyTo(rgba, SKColorType.Rgba8888))
        {
            using SKCanvas canvas = new(rgba);
            canvas.DrawBitmap(decoded, 0, 0);
        }

        ReadOnlySpan<byte> px = rgba.GetPixelSpan();
        int plane = width * height;
        byte[] data = new byte[plane * channels];
        for (int i = 0; i < plane; i++)
        {
            byte r = px[i * 4], g = px[(i * 4) + 1], b = px[(i * 4) + 2];
            if (channels == 3)
            {
                data[i] = r;
                data[plane + i] = g;
                data[(2 * plane) + i] = b;
            }
            else
            {
                data[i] = (byte)(((r * 19595) + (g * 38470) + (b * 7471) + 0x8000) >> 16);
            }
        }

        return new PlanarPictureResult(data, srcW, srcH, resized);
    }
}
