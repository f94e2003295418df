namespace K210Kpu.Maix;

/// <summary>Pixel format of an <see cref="Image"/>.</summary>
public enum PixelFormat
{
    /// <summary>One byte per pixel, 0 = black, 255 = white (MaixPy <c>sensor.GRAYSCALE</c>).</summary>
    Grayscale = 1,

    /// <summary>
    /// 16 bits per pixel, 5 bits red, 6 green, 5 blue (MaixPy <c>sensor.RGB565</c>). Raw pixel values are in the
    /// conventional layout <c>r5 &lt;&lt; 11 | g6 &lt;&lt; 5 | b5</c>; MaixPy stores them byte-swapped, which changes no result.
    /// </summary>
    Rgb565 = 2,

    /// <summary>24 bits per pixel, 8 bits each of red, green, blue; raw pixel values are <c>0xRRGGBB</c>. A desktop extension.</summary>
    Rgb888 = 3,
}
