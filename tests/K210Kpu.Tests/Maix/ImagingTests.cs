using K210Kpu.Imaging;
using K210Kpu.Maix;

namespace K210Kpu.Tests.Maix;

[Collection("Kpu")]
public class ImagingTests
{
    [Theory]
    [InlineData(".png", PixelFormat.Rgb888)]
    [InlineData(".png", PixelFormat.Grayscale)]
    [InlineData(".png", PixelFormat.Rgb565)]
    [InlineData(".bmp", PixelFormat.Rgb888)]
    public void SaveLoad_LosslessFormats_RoundTrip(string ext, PixelFormat format)
    {
        var img = new Image(7, 5, format);
        for (int y = 0; y < 5; y++)
        {
            for (int x = 0; x < 7; x++)
            {
                img.SetPixel(x, y, img.Color((byte)(x * 36), (byte)(y * 60), (byte)((x + y) * 20)));
            }
        }

        string path = Path.Combine(Path.GetTempPath(), $"k210-{Guid.NewGuid():N}{ext}");
        try
        {
            ImageIO.Save(img, path);
            Image back = ImageIO.Load(path, format);
            Assert.Equal(img.Data.ToArray(), back.Data.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_NotAPicture_ThrowsInvalidData()
    {
        string path = Path.Combine(Path.GetTempPath(), $"k210-{Guid.NewGuid():N}.png");
        File.WriteAllText(path, "nope");
        try
        {
            Assert.Throws<InvalidDataException>(() => ImageIO.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Sensor_Folder_ServesPicturesInOrderAndLoops_ScaledToFit()
    {
        string dir = Directory.CreateTempSubdirectory("k210-sensor").FullName;
        try
        {
            for (int i = 0; i < 2; i++)
            {
                var pic = new Image(40, 20, PixelFormat.Rgb888);
                pic.DrawRectangle(0, 0, 40, 20, i == 0 ? 0xFF0000 : 0x0000FF, fill: true);
                ImageIO.Save(pic, Path.Combine(dir, $"f{i}.png"));
            }

            File.WriteAllText(Path.Combine(dir, "notes.txt"), "ignored");
            Sensor.SetSource(dir);
            Sensor.Reset();
            Sensor.SetPixFormat(PixelFormat.Rgb565);
            Sensor.SetFrameSize(FrameSize.QQQVGA); // 80x60: the 40x20 picture scales to 80x40, centred
            Image a = Sensor.Snapshot();
            Image b = Sensor.Snapshot();
            Image c = Sensor.Snapshot();
            Assert.Equal((80, 60), (a.Width, a.Height));
            Assert.Equal(((byte)255, (byte)0, (byte)0), a.GetRgb(40, 30));
            Assert.Equal(((byte)0, (byte)0, (byte)0), a.GetRgb(40, 5));
            Assert.Equal(((byte)0, (byte)0, (byte)255), b.GetRgb(40, 30));
            Assert.Equal(a.Data.ToArray(), c.Data.ToArray());
            Assert.True(a.HasAiBuffer);
            Assert.Equal(3, Sensor.FrameCount);

            Sensor.SetPixFormat(PixelFormat.Grayscale);
            Sensor.SetWindowing(20, 10);
            Image g = Sensor.Snapshot();
            Assert.Equal((20, 10, PixelFormat.Grayscale), (g.Width, g.Height, g.Format));
            Assert.Equal(ImageIO.Luma(0, 0, 255), g.GetPixel(5, 5)); // the fourth frame: the loop is at f1 again
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Lcd_Numbered_WritesOnePngPerFrame_CentringSmallImages()
    {
        string dir = Directory.CreateTempSubdirectory("k210-lcd").FullName;
        try
        {
            Lcd.Init();
            Lcd.SetOutput(Path.Combine(dir, "frame.png"), numbered: true);
            var small = new Image(10, 10, PixelFormat.Grayscale);
            small.Data.Fill(255);
            Lcd.Display(small);
            Lcd.Display(small);
            Assert.True(File.Exists(Path.Combine(dir, "frame_0001.png")));
            Assert.True(File.Exists(Path.Combine(dir, "frame_0002.png")));
            Image shown = ImageIO.Load(Path.Combine(dir, "frame_0002.png"));
            Assert.Equal(((byte)255, (byte)255, (byte)255), shown.GetRgb(155, 115));
            Assert.Equal(((byte)0, (byte)0, (byte)0), shown.GetRgb(154, 115));
            Lcd.Display(small, (0, 0));
            Assert.Equal(((byte)255, (byte)255, (byte)255), Lcd.Snapshot().GetRgb(0, 0));
            Assert.Equal(((byte)255, (byte)255, (byte)255), Lcd.Snapshot().GetRgb(155, 115));
            Lcd.Display(small);
            Assert.Equal(((byte)0, (byte)0, (byte)0), Lcd.Snapshot().GetRgb(0, 0)); // centred display pads with black
        }
        finally
        {
            Lcd.SetOutput(null);
            Directory.Delete(dir, true);
        }
    }
}
