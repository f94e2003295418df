using System.Buffers.Binary;
using K210Kpu.Maix;
using SkiaSharp;

namespace K210Kpu.Imaging;

/// <summary>Decodes picture files into <see cref="Image"/>s and encodes them (PNG, JPEG, BMP) with SkiaSharp.</summary>
public static class ImageIO
{
    /// <summary>
    /// Decodes a picture (PNG, JPEG, BMP, GIF, WebP) into an image of <paramref name="format"/>: RGB888 as decoded;
    /// RGB565 rounded per channel (MaixPy's <c>rb825</c>/<c>g826</c> tables); grayscale by ITU-R 601 luma with
    /// integer rounding (as PIL's <c>convert('L')</c>). Transparent pixels are taken as their colour, unblended.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file is not a decodable picture.</exception>
    public static Image Load(string path, PixelFormat format = PixelFormat.Rgb888)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist", path);
        }

        using SKBitmap? decoded = SKBitmap.Decode(path);
        if (decoded is null)
        {
            throw new InvalidDataException($"{path} is not a picture that can be decoded (png, jpg, bmp)");
        }

        return FromBitmap(decoded, format);
    }

    /// <summary>Decodes a picture from its encoded bytes (see <see cref="Load(string, PixelFormat)"/>).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a decodable picture.</exception>
    public static Image Decode(ReadOnlySpan<byte> encoded, PixelFormat format = PixelFormat.Rgb888)
    {
        using SKBitmap? decoded = SKBitmap.Decode(encoded);
        if (decoded is null)
        {
            throw new InvalidDataException("the bytes are not a picture that can be decoded (png, jpg, bmp)");
        }

        return FromBitmap(decoded, format);
    }

    /// <summary>
    /// Saves an image; the format follows the extension: .png, .jpg/.jpeg (quality <paramref name="quality"/>) or
    /// .bmp (24-bit). Grayscale images are written as grey, RGB565 expanded with MaixPy's tables.
    /// </summary>
    /// <exception cref="ArgumentException">The extension is not one of those.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(Image image, string path, int quality = 90)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        byte[] bytes = ext switch
        {
            ".png" => Encode(image, SKEncodedImageFormat.Png, 100),
            ".jpg" or ".jpeg" => Encode(image, SKEncodedImageFormat.Jpeg, quality),
            ".bmp" => EncodeBmp(image),
            _ => throw new ArgumentException($"cannot save \"{ext}\" pictures: use .png, .jpg or .bmp", nameof(path)),
        };
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        string temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Encodes an image as PNG.</summary>
    public static byte[] EncodePng(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image, SKEncodedImageFormat.Png, 100);
    }

    internal static Image FromBitmap(SKBitmap decoded, PixelFormat format)
    {
        var info = new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var rgba = new SKBitmap(info);
        if (!decoded.CopyTo(rgba, SKColorType.Rgba8888))
        {
            using var canvas = new SKCanvas(rgba);
            canvas.DrawBitmap(decoded, 0, 0);
        }

        return FromRgba(rgba.GetPixelSpan(), decoded.Width, decoded.Height, format);
    }

    internal static Image FromRgba(ReadOnlySpan<byte> px, int width, int height, PixelFormat format)
    {
        var image = new Image(width, height, format);
        Span<byte> d = image.Data;
        int n = width * height;
        for (int i = 0; i < n; i++)
        {
            byte r = px[i * 4], g = px[(i * 4) + 1], b = px[(i * 4) + 2];
            switch (format)
            {
                case PixelFormat.Grayscale:
                    d[i] = Luma(r, g, b);
                    break;
                case PixelFormat.Rgb565:
                    BinaryPrimitives.WriteUInt16LittleEndian(d[(i * 2)..], (ushort)image.Color(r, g, b));
                    break;
                default:
                    d[i * 3] = r;
                    d[(i * 3) + 1] = g;
                    d[(i * 3) + 2] = b;
                    break;
            }
        }

        return image;
    }

    /// <summary>ITU-R 601 luma with PIL's integer rounding.</summary>
    internal static byte Luma(byte r, byte g, byte b) => (byte)(((r * 19595) + (g * 38470) + (b * 7471) + 0x8000) >> 16);

    internal static SKBitmap ToBitmap(Image image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Span<byte> px = bitmap.GetPixelSpan();
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                (byte r, byte g, byte b) = image.GetRgb(x, y);
                int i = ((y * image.Width) + x) * 4;
                px[i] = r;
                px[i + 1] = g;
                px[i + 2] = b;
                px[i + 3] = 255;
            }
        }

        return bitmap;
    }

    private static byte[] Encode(Image image, SKEncodedImageFormat format, int quality)
    {
        using SKBitmap bitmap = ToBitmap(image);
        using SKData? data = bitmap.Encode(format, quality);
        return data?.ToArray() ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}");
    }

    // 24-bit bottom-up BMP (SkiaSharp has no BMP encoder).
    private static byte[] EncodeBmp(Image image)
    {
        int rowBytes = ((image.Width * 3) + 3) & ~3;
        int pixelBytes = rowBytes * image.Height;
        byte[] bmp = new byte[54 + pixelBytes];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), image.Height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), pixelBytes);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(38), 2835);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(42), 2835);
        for (int y = 0; y < image.Height; y++)
        {
            int row = 54 + ((image.Height - 1 - y) * rowBytes);
            for (int x = 0; x < image.Width; x++)
            {
                (byte r, byte g, byte b) = image.GetRgb(x, y);
                bmp[row + (x * 3)] = b;
                bmp[row + (x * 3) + 1] = g;
                bmp[row + (x * 3) + 2] = r;
            }
        }

        return bmp;
    }
}
