using K210Kpu.Maix;

namespace K210Kpu.Tests.Maix;

public class ImageTests
{
    [Fact]
    public void New_Default_IsBlack320x240Rgb565()
    {
        var img = new Image();
        Assert.Equal((320, 240, PixelFormat.Rgb565), (img.Width, img.Height, img.Format));
        Assert.All(img.Data.ToArray(), b => Assert.Equal(0, b));
        Assert.False(img.HasAiBuffer);
    }

    [Fact]
    public void GetPixel_OutsideImage_IsMinusOne_AndSetPixelIgnored()
    {
        var img = new Image(4, 3, PixelFormat.Grayscale);
        img.SetPixel(4, 0, 255);
        img.SetPixel(-1, 0, 255);
        Assert.Equal(-1, img.GetPixel(0, 3));
        Assert.All(img.Data.ToArray(), b => Assert.Equal(0, b));
        img.SetPixel(3, 2, 77);
        Assert.Equal(77, img.GetPixel(3, 2));
    }

    [Fact]
    public void SetPixel_MinusOne_IsWhiteInEveryFormat()
    {
        foreach (PixelFormat f in new[] { PixelFormat.Grayscale, PixelFormat.Rgb565, PixelFormat.Rgb888 })
        {
            var img = new Image(2, 2, f);
            img.SetPixel(1, 1, -1);
            Assert.Equal(((byte)255, (byte)255, (byte)255), img.GetRgb(1, 1));
        }
    }

    [Fact]
    public void DrawRectangle_Thickness1_DrawsTheBorderOnly()
    {
        var img = new Image(10, 10, PixelFormat.Grayscale);
        img.DrawRectangle(2, 2, 4, 3, 9);
        var set = Set(img);
        var want = new HashSet<(int, int)>();
        for (int x = 2; x <= 5; x++)
        {
            want.Add((x, 2));
            want.Add((x, 4));
        }

        for (int y = 2; y <= 4; y++)
        {
            want.Add((2, y));
            want.Add((5, y));
        }

        Assert.Equal(want, set);
    }

    [Fact]
    public void DrawRectangle_Thickness3_ExtendsOneOutwardAndOneInward()
    {
        var img = new Image(20, 20, PixelFormat.Grayscale);
        img.DrawRectangle(5, 5, 8, 8, 1, thickness: 3);
        // t0 = 1 outward, t1 = 1 inward: the top band covers rows 4..6, columns 4..13.
        Assert.Equal(1, img.GetPixel(4, 4));
        Assert.Equal(1, img.GetPixel(13, 6));
        Assert.Equal(0, img.GetPixel(3, 4));
        Assert.Equal(0, img.GetPixel(14, 4));
        Assert.Equal(0, img.GetPixel(8, 7));
        // bottom edge k = 12: rows 11..13.
        Assert.Equal(1, img.GetPixel(8, 13));
        Assert.Equal(0, img.GetPixel(8, 14));
        Assert.Equal(0, img.GetPixel(8, 10));
    }

    [Fact]
    public void DrawRectangle_Fill_CoversTheRectangleClipped()
    {
        var img = new Image(5, 5, PixelFormat.Grayscale);
        img.DrawRectangle((3, 3, 4, 4), 2, fill: true);
        Assert.Equal(new HashSet<(int, int)> { (3, 3), (4, 3), (3, 4), (4, 4) }, Set(img));
    }

    [Fact]
    public void DrawCross_DrawsTwoLinesOfHalfLengthSize()
    {
        var img = new Image(11, 11, PixelFormat.Grayscale);
        img.DrawCross(5, 5, 1, size: 2);
        var want = new HashSet<(int, int)> { (3, 5), (4, 5), (5, 5), (6, 5), (7, 5), (5, 3), (5, 4), (5, 6), (5, 7) };
        Assert.Equal(want, Set(img));
    }

    [Fact]
    public void DrawCircle_Radius2_DrawsTheMidpointRing()
    {
        var img = new Image(9, 9, PixelFormat.Grayscale);
        img.DrawCircle(4, 4, 2, 1);
        // xo = xi = 2: y=0 gives (6,4),(4,6),(2,4),(4,2); y=1 gives (6,5),(5,6),(2,5),(3,6),(2,3),(3,2),(6,3),(5,2).
        var want = new HashSet<(int, int)> { (6, 4), (4, 6), (2, 4), (4, 2), (6, 5), (5, 6), (2, 5), (3, 6), (2, 3), (3, 2), (6, 3), (5, 2) };
        Assert.Equal(want, Set(img));
    }

    [Fact]
    public void DrawCircle_Filled_IsTheDisc()
    {
        var img = new Image(5, 5, PixelFormat.Grayscale);
        img.DrawCircle(2, 2, 1, 1, fill: true);
        Assert.Equal(new HashSet<(int, int)> { (2, 1), (1, 2), (2, 2), (3, 2), (2, 3) }, Set(img));
    }

    [Fact]
    public void DrawString_LetterA_SetsItsGlyphPixels()
    {
        var img = new Image(20, 12, PixelFormat.Grayscale);
        img.DrawString(0, 0, "A", 255);
        // 'A' = columns 0x7E, 0x11, 0x11, 0x11, 0x7E: 18 pixels; cell column 1 is its first inked column, so
        // proportional spacing shifts it to x = 0; glyph rows start at cell row 2.
        Assert.Equal(18, Set(img).Count);
        Assert.Equal(255, img.GetPixel(0, 3));
        Assert.Equal(0, img.GetPixel(0, 2));
    }

    [Fact]
    public void DrawString_Spacing_FollowsMaixPysRules()
    {
        var prop = new Image(40, 30, PixelFormat.Grayscale);
        prop.DrawString(0, 0, "II", 255);
        // 'I' inks cell columns 2..4: drawn shifted left by 2 (x 0..2), then x_off = -2 + (4 + 2) = 4, and the
        // second 'I' is shifted left by 2 again: its ink is at x 4..6, one blank column after the first.
        Assert.Equal(255, prop.GetPixel(1, 2));
        Assert.Equal(0, prop.GetPixel(3, 2));
        Assert.Equal(255, prop.GetPixel(4, 2));
        Assert.Equal(255, prop.GetPixel(6, 2));
        Assert.Equal(0, prop.GetPixel(7, 2));
        var mono = new Image(40, 40, PixelFormat.Grayscale);
        mono.DrawString(0, 0, "I\r\nI", 255, monoSpace: true);
        Assert.Equal(255, mono.GetPixel(3, 2));
        Assert.Equal(255, mono.GetPixel(3, 2 + 12 + 2)); // one new line for "\r\n": 12 + y_spacing 2
        Assert.Equal(0, mono.GetPixel(3, 2 + 28));
    }

    [Fact]
    public void Stretch_UsesInteriorMinMaxAndCapsScaleAt5()
    {
        var img = Gray4x4(10, 20, 30, 40, border: 12);
        img.Stretch(64, 255);
        // min0 = 10, max0 = 40, scale = 191 / 30 = 6 (integer division) → capped to 5.
        Assert.Equal(64, img.GetPixel(1, 1));
        Assert.Equal(114, img.GetPixel(2, 1));
        Assert.Equal(164, img.GetPixel(1, 2));
        Assert.Equal(214, img.GetPixel(2, 2));
        Assert.Equal(74, img.GetPixel(0, 0)); // (12 - 10) * 5 + 64
    }

    [Fact]
    public void Stretch_ScaleIsIntegerDivision()
    {
        var img = Gray4x4(10, 20, 30, 40, border: 10);
        img.Stretch(0, 100);
        // 100 / 30 = 3, not 3.33: 40 → 90.
        Assert.Equal(90, img.GetPixel(2, 2));
        Assert.Equal(30, img.GetPixel(2, 1));
    }

    [Fact]
    public void Stretch_OutOfRangeResultsWrapTo8Bits()
    {
        var img = Gray4x4(100, 110, 120, 130, border: 0);
        img.Stretch(0, 255);
        // Border: (0 - 100) * 5 + 0 = -500 → wraps to 12.
        Assert.Equal(12, img.GetPixel(0, 0));
        Assert.Equal(150, img.GetPixel(2, 2));
    }

    [Fact]
    public void Stretch_EqualMinMax_DoesNothing()
    {
        var img = Gray4x4(7, 7, 7, 7, border: 3);
        img.Stretch(64, 255);
        Assert.Equal(3, img.GetPixel(0, 0));
        Assert.Equal(7, img.GetPixel(1, 1));
    }

    [Fact]
    public void Stretch_OnRgb565_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new Image(4, 4).Stretch(0, 255));
    }

    [Fact]
    public void PixToAi_Rgb565_UsesMaixPyBitExpansion()
    {
        var img = new Image(2, 1, PixelFormat.Rgb565);
        img.SetPixel(0, 0, (3 << 11) | (11 << 5) | 31);
        img.SetPixel(1, 0, 0xFFFF);
        img.PixToAi();
        // rb528[3] = 25, g628[11] = 45, rb528[31] = 255.
        Assert.Equal(new byte[] { 25, 255, 45, 255, 255, 255 }, img.AiBuffer.ToArray());
    }

    [Fact]
    public void PixToAi_IsNotUpdatedByDrawing()
    {
        var img = new Image(2, 2, PixelFormat.Grayscale);
        img.PixToAi();
        img.DrawRectangle(0, 0, 2, 2, 200, fill: true);
        Assert.All(img.AiBuffer.ToArray(), b => Assert.Equal(0, b));
        Assert.All(img.ToPlanar(), b => Assert.Equal(200, b));
    }

    [Fact]
    public void ColorTables_MatchMaixPyTableValues()
    {
        Assert.Equal(25, ColorTables.Rb528[3]);
        Assert.Equal(45, ColorTables.G628[11]);
        Assert.Equal(130, ColorTables.G628[32]);
        Assert.Equal(0, ColorTables.Rb825[4]);
        Assert.Equal(1, ColorTables.Rb825[5]);
        Assert.Equal(1, ColorTables.G826[3]);
        for (int v = 0; v < 32; v++)
        {
            Assert.Equal(v, ColorTables.Rb825[ColorTables.Rb528[v]]);
        }

        for (int v = 0; v < 64; v++)
        {
            Assert.Equal(v, ColorTables.G826[ColorTables.G628[v]]);
        }
    }

    [Fact]
    public void ToGrayscale_Rgb565_FollowsMaixPyLumaTables()
    {
        var img = new Image(3, 1, PixelFormat.Rgb565);
        img.SetPixel(0, 0, 0);
        img.SetPixel(1, 0, 0xFFFF);
        img.SetPixel(2, 0, 8 << 5); // g6 = 8 → g8 = 32: floor(32 · 0.587) = 18, no low-bit correction
        Image g = img.ToGrayscale();
        Assert.Equal(0, g.GetPixel(0, 0));
        Assert.Equal(254, g.GetPixel(1, 0)); // floor(238.56) + round(28 · 0.587) = 238 + 16
        Assert.Equal(18, g.GetPixel(2, 0));
    }

    [Fact]
    public void DrawImage_GreyOnGrey_CopiesExactly()
    {
        var src = new Image(3, 2, PixelFormat.Grayscale);
        for (int i = 0; i < 6; i++)
        {
            src.Data[i] = (byte)(i * 51);
        }

        var dst = new Image(5, 5, PixelFormat.Grayscale);
        dst.DrawImage(src, (1, 2));
        Assert.Equal(0, dst.GetPixel(1, 2));
        Assert.Equal(102, dst.GetPixel(3, 2));
        Assert.Equal(255, dst.GetPixel(3, 3));
        Assert.Equal(0, dst.GetPixel(0, 0));
    }

    [Fact]
    public void DrawImage_GreyOnRgb565_GivesMaixPyFalseColours()
    {
        var src = new Image(1, 1, PixelFormat.Grayscale);
        src.Data[0] = 203; // 0b11001_011: r5 = 25, low three bits 3 → g6 = 24
        var dst = new Image(1, 1, PixelFormat.Rgb565);
        dst.DrawImage(src, 0, 0);
        Assert.Equal((25 << 11) | (24 << 5), dst.GetPixel(0, 0));
    }

    [Fact]
    public void DrawImage_Rgb565OnRgb565_CopiesExactly()
    {
        var src = new Image(1, 1, PixelFormat.Rgb565);
        src.SetPixel(0, 0, 0x1234);
        var dst = new Image(2, 2, PixelFormat.Rgb565);
        dst.DrawImage(src, 1, 1);
        Assert.Equal(0x1234, dst.GetPixel(1, 1));
    }

    [Fact]
    public void DrawImage_HalfAlpha_UsesTheFirmwaresBrightnessWeightedBlend()
    {
        var src = new Image(1, 1, PixelFormat.Grayscale);
        src.Data[0] = 255; // read as r8 = 255, g8 = g628[56] = 227, b8 = 0
        var dst = new Image(1, 1, PixelFormat.Grayscale);
        dst.DrawImage(src, 0, 0, alpha: 128);
        // t_alpha = 0.5 · (255|227|0)/256: r = 127, g = 113 → r5 = 15, g6 = 28 → stored (15 << 3) | (28 >> 3) = 123.
        Assert.Equal(123, dst.GetPixel(0, 0));
    }

    [Fact]
    public void Copy_Region_IsClippedAndIndependent()
    {
        var img = new Image(4, 4, PixelFormat.Grayscale);
        img.SetPixel(3, 3, 9);
        Image c = img.Copy(2, 2, 5, 5);
        Assert.Equal((2, 2), (c.Width, c.Height));
        Assert.Equal(9, c.GetPixel(1, 1));
        c.SetPixel(1, 1, 1);
        Assert.Equal(9, img.GetPixel(3, 3));
        Assert.Throws<ArgumentException>(() => img.Copy(10, 10, 2, 2));
    }

    [Fact]
    public void Resize_GreyDown_AveragesMaixPysInclusiveBlock()
    {
        var img = new Image(4, 4, PixelFormat.Grayscale);
        for (int i = 0; i < 16; i++)
        {
            img.Data[i] = (byte)(i * 10);
        }

        Image r = img.Resize(2, 2);
        // y0 = 0, y1 = 2, x0 = 0, x1 = 2 (inclusive): mean of rows 0..2, columns 0..2 = (0+10+20+40+50+60+80+90+100)/9 = 50.
        Assert.Equal(50, r.GetPixel(0, 0));
    }

    [Fact]
    public void Resize_GreyUp_IsBilinear()
    {
        var img = new Image(2, 1, PixelFormat.Grayscale);
        img.Data[0] = 0;
        img.Data[1] = 100;
        Image r = img.Resize(4, 1);
        // xf = (x + 0.5) · 0.5 - 0.5 = 0.25 for x = 1: 0 · 0.75 + 100 · 0.25 = 25; 0.75 for x = 2: 75.
        Assert.Equal(25, r.GetPixel(1, 0));
        Assert.Equal(75, r.GetPixel(2, 0));
    }

    [Fact]
    public void Resize_Rgb565Down_IsNearest()
    {
        var img = new Image(4, 2, PixelFormat.Rgb565);
        img.SetPixel(2, 0, 0xF800);
        Image r = img.Resize(2, 1);
        Assert.Equal(0xF800, r.GetPixel(1, 0));
        Assert.Equal(0, r.GetPixel(0, 0));
    }

    private static Image Gray4x4(byte a, byte b, byte c, byte d, byte border)
    {
        var img = new Image(4, 4, PixelFormat.Grayscale);
        img.Data.Fill(border);
        img.SetPixel(1, 1, a);
        img.SetPixel(2, 1, b);
        img.SetPixel(1, 2, c);
        img.SetPixel(2, 2, d);
        return img;
    }

    private static HashSet<(int, int)> Set(Image img)
    {
        var set = new HashSet<(int, int)>();
        for (int y = 0; y < img.Height; y++)
        {
            for (int x = 0; x < img.Width; x++)
            {
                if (img.GetPixel(x, y) != 0)
                {
                    set.Add((x, y));
                }
            }
        }

        return set;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void FromPlanar_IsTheInverseOfToPlanar(int channels)
    {
        byte[] planar = new byte[channels * 5 * 4];
        new Random(channels).NextBytes(planar);
        Image img = Image.FromPlanar(planar, 5, 4, channels);
        Assert.Equal(channels == 1 ? PixelFormat.Grayscale : PixelFormat.Rgb888, img.Format);
        Assert.Equal(planar, img.ToPlanar());
    }

    [Fact]
    public void FromPlanar_BadChannelsOrShortBuffer_AreArgumentErrors()
    {
        Assert.Throws<ArgumentException>(() => Image.FromPlanar(new byte[40], 5, 4, 2));
        Assert.Contains("60 bytes", Assert.Throws<ArgumentException>(() => Image.FromPlanar(new byte[59], 5, 4, 3)).Message);
    }
}
