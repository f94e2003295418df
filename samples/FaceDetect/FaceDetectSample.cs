using K210Kpu.Maix;
using K210Kpu.PostProcessing;

namespace K210Kpu.Samples.FaceDetect;

/// <summary>
/// The KPU documentation's face detection routine, line by line: the model is flashed at 0x300000 (as its kfpkg
/// does), the camera serves a picture (or a folder of them), faces get a rectangle and every frame goes to the LCD,
/// which writes it as PNG.
/// </summary>
public static class FaceDetectSample
{
    /// <summary>Runs <paramref name="frames"/> loop iterations; returns the detections of the last frame.</summary>
    /// <param name="dataDir">The folder holding models/ and images/.</param>
    /// <param name="outputPng">Where the LCD frames go (one PNG kept up to date).</param>
    /// <param name="frames">Iterations of the routine's <c>while True</c> loop.</param>
    /// <param name="source">A picture or folder for the camera; default the bundled astronaut picture.</param>
    public static IReadOnlyList<Detection> Run(string dataDir, string outputPng, int frames = 1, string? source = null)
    {
        // What kflash does with face_model_at_0x300000.kfpkg, and the camera's view.
        Flash.Default.Write(0x300000, File.ReadAllBytes(Path.Combine(dataDir, "models", "maixpy_face_yolo2_v3.kmodel")));
        Sensor.SetSource(source ?? Path.Combine(dataDir, "images", "astronaut_face_320x240.png"));
        Lcd.SetOutput(outputPng);

        IReadOnlyList<Detection> code = [];
        Lcd.Init();
        Sensor.Reset();
        Sensor.SetPixFormat(PixelFormat.Rgb565);
        Sensor.SetFrameSize(FrameSize.QVGA);
        Sensor.Run(1);
        KpuTask task = Kpu.Load(0x300000);
        float[] anchor = [1.889f, 2.5245f, 2.9465f, 3.94056f, 3.99987f, 5.3658f, 5.155437f, 6.92275f, 6.718375f, 9.01025f];
        bool a = Kpu.InitYolo2(task, 0.5f, 0.3f, 5, anchor);
        for (int frame = 0; frame < frames; frame++)
        {
            Image img = Sensor.Snapshot();
            code = Kpu.RunYolo2(task, img);
            if (code.Count > 0)
            {
                foreach (Detection i in code)
                {
                    Console.WriteLine(i);
                    img.DrawRectangle(i.Rect());
                }
            }

            Lcd.Display(img);
        }

        a = Kpu.Deinit(task);
        return code;
    }
}
