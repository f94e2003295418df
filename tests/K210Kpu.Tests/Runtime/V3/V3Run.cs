using System.Runtime.InteropServices;

namespace K210Kpu.Tests.Runtime.V3;

/// <summary>Helpers to run hand-built V3 models.</summary>
internal static class V3Run
{
    public static Interpreter Run(byte[] model, byte[] input, ArithmeticMode mode = ArithmeticMode.Reference)
    {
        var interpreter = new Interpreter(KModel.Load(model), new RunOptions { Mode = mode });
        interpreter.SetInput(0, input);
        interpreter.Run();
        return interpreter;
    }

    public static byte[] Bytes(params float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static float[] Floats(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    /// <summary>Input bytes padded to whole floats (the FC input stage takes float32).</summary>
    public static byte[] Padded(byte[] data, int floats)
    {
        var b = new byte[floats * 4];
        data.CopyTo(b, 0);
        return b;
    }
}
