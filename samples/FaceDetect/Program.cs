using K210Kpu.Samples;
using K210Kpu.Samples.FaceDetect;

try
{
    Dictionary<string, string> o = SampleData.Options(args, "data", "out", "frames", "source");
    string data = o.GetValueOrDefault("data") ?? SampleData.FindDataDir();
    string output = o.GetValueOrDefault("out") ?? Path.Combine(Environment.CurrentDirectory, "face_detect.png");
    int frames = int.Parse(o.GetValueOrDefault("frames") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
    var found = FaceDetectSample.Run(data, output, frames, o.GetValueOrDefault("source"));
    Console.WriteLine($"{found.Count} face(s); LCD frame written to {output}");
    return 0;
}
catch (Exception e) when (e is ArgumentException or IOException or FormatException or K210Kpu.Maix.MaixPyException)
{
    Console.Error.WriteLine($"FaceDetect: {e.Message}");
    return 1;
}
