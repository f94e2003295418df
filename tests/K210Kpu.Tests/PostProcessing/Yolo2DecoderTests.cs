using System.Runtime.InteropServices;
using System.Text.Json;
using K210Kpu.PostProcessing;

namespace K210Kpu.Tests.PostProcessing;

public class Yolo2DecoderTests
{
    internal static readonly float[] FaceAnchors = [1.889f, 2.5245f, 2.9465f, 3.94056f, 3.99987f, 5.3658f, 5.155437f, 6.92275f, 6.718375f, 9.01025f];
    internal static readonly float[] VocAnchors = [1.08f, 1.19f, 3.42f, 4.41f, 6.63f, 11.38f, 9.42f, 5.11f, 16.62f, 10.52f];

    [SharedTheory]
    [InlineData("maixpy_face_yolo2_v3", "astronaut", 20, 15, 30)]
    [InlineData("sdk_voc20_yolo2_v3", "image", 10, 7, 125)]
    public void Decode_GoldenOutput_MatchesFirmwareExample(string model, string @case, int w, int h, int ch)
    {
        byte[] raw = File.ReadAllBytes(TestFiles.Shared("golden", model, @case, "output_0.bin"));
        float[] output = MemoryMarshal.Cast<byte, float>(raw).ToArray();
        var options = new Yolo2Options(0.5f, 0.3f, model.Contains("face") ? FaceAnchors : VocAnchors);

        IReadOnlyList<Detection> got = Yolo2Decoder.Decode(output, w, h, ch, 320, 240, options);

        AssertMatchesExample(TestFiles.Shared("golden", "yolo2-examples", $"{model}.{@case}.t0.5_n0.3.json"), got);
    }

    internal static void AssertMatchesExample(string jsonPath, IReadOnlyList<Detection> got)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(jsonPath));
        JsonElement[] want = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(want.Length, got.Count);
        for (int i = 0; i < want.Length; i++)
        {
            JsonElement e = want[i];
            Detection d = got[i];
            Assert.Equal(e.GetProperty("x").GetInt32(), d.X);
            Assert.Equal(e.GetProperty("y").GetInt32(), d.Y);
            Assert.Equal(e.GetProperty("w").GetInt32(), d.W);
            Assert.Equal(e.GetProperty("h").GetInt32(), d.H);
            Assert.Equal(e.GetProperty("classid").GetInt32(), d.ClassId);
            Assert.Equal(e.GetProperty("index").GetInt32(), d.Index);
            Assert.Equal(e.GetProperty("objnum").GetInt32(), d.ObjNum);
            Assert.True(Math.Abs(e.GetProperty("value").GetDouble() - d.Value) <= 1e-5, $"value {d.Value} vs {e.GetProperty("value").GetDouble()}");
        }
    }
}
