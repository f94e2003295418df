using K210Kpu.Maix;

namespace K210Kpu.Samples.FeatureMaps;

/// <summary>
/// The KPU documentation's feature-map routine, line by line: the face model runs three layers, the channels of the
/// result are stretched to 64..255 and tiled over a 320×240 frame, which the LCD writes as PNG.
/// </summary>
/// <remarks>
/// As in the routine, the mosaic is drawn on <c>image.Image()</c>, an RGB565 frame; MaixPy's <c>draw_image</c>
/// then shows the grey maps in its red/green false colours, which this reproduces. (<see cref="Kpu.FmapMosaic"/> makes
/// a grey mosaic.)
/// </remarks>
public static class FeatureMapsSample
{
    /// <summary>Runs <paramref name="frames"/> loop iterations; returns the number of maps tiled per frame.</summary>
    /// <param name="dataDir">The folder holding models/ and images/.</param>
    /// <param name="outputPng">Where the LCD frames go (one PNG kept up to date).</param>
    /// <param name="frames">Iterations of the routine's <c>while True</c> loop.</param>
    /// <param name="source">A picture or folder for the camera; default the bundled astronaut picture.</param>
    public static int Run(string dataDir, string outputPng, int frames = 1, string? source = null)
    {
        Flash.Default.Write(0x300000, File.ReadAllBytes(Path.Combine(dataDir, "models", "maixpy_face_yolo2_v3.kmodel")));
        Sensor.SetSource(source ?? Path.Combine(dataDir, "images", "astronaut_face_320x240.png"));
        Lcd.SetOutput(outputPng);

        int index = 3;
        Lcd.Init();
        Sensor.Reset();
        Sensor.SetPixFormat(PixelFormat.Rgb565);
        Sensor.SetFrameSize(FrameSize.QVGA);
        Sensor.Run(1);
        KpuTask task = Kpu.Load(0x300000);
        Image img = new();
        IReadOnlyList<LayerInfo> info = Kpu.NetInfo(task);
        LayerInfo layer = info[index];
        int w = layer.Wo;
        int h = layer.Ho;
        int num = (int)(320.0 * 240 / w / h);
        var list = new Image[num];
        int xStep = (int)(320.0 / w);
        int yStep = (int)(240.0 / h);
        Image imgLcd = new();
        for (int frame = 0; frame < frames; frame++)
        {
            img = Sensor.Snapshot();
            FeatureMap fmap = Kpu.Forward(task, img, index);
            for (int i = 0; i < num; i++)
            {
                list[i] = Kpu.Fmap(fmap, i);
            }

            for (int i = 0; i < num; i++)
            {
                list[i].Stretch(64, 255);
            }

            for (int i = 0; i < num; i++)
            {
                Image a = imgLcd.DrawImage(list[i], ((i % xStep) * w, (i / xStep) * h));
            }

            Lcd.Display(imgLcd);
            Kpu.FmapFree(fmap);
        }

        _ = yStep;
        Kpu.Deinit(task);
        return num;
    }
}
