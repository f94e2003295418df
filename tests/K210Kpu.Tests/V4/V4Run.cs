using System.Runtime.InteropServices;

namespace K210Kpu.Tests.V4;

/// <summary>Runs one-node (or few-node) V4 files: all data in main memory, fed as one uint8 input blob at main[0].</summary>
internal static class V4Run
{
    /// <summary>
    /// Builds a file whose input 0 is <paramref name="blob"/> at main[0], runs <paramref name="nodes"/>, and returns the
    /// <paramref name="outSize"/> bytes at main[<paramref name="outStart"/>].
    /// </summary>
    public static byte[] InMain(byte[] blob, uint outStart, uint outSize, ArithmeticMode mode, uint mainMemory, params (uint Op, byte[] Body)[] nodes)
    {
        var b = new V4FileBuilder { MainMemory = mainMemory };
        b.Input(V4FileBuilder.Main, V4FileBuilder.U8, 0, (uint)blob.Length, 1, 1, 1, blob.Length);
        b.Output(V4FileBuilder.Main, V4FileBuilder.U8, outStart, outSize);
        foreach ((uint op, byte[] body) in nodes)
        {
            b.Node(op, body);
        }

        using var interp = new Interpreter(KModel.Load(b.Build()), new RunOptions { Mode = mode });
        interp.SetInput(0, blob);
        interp.Run();
        return interp.GetOutput(0).ToArray();
    }

    public static byte[] Floats(IEnumerable<float> values) => MemoryMarshal.AsBytes<float>([.. values]).ToArray();

    public static float[] ToFloats(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    /// <summary>Concatenates float tensors into one blob; returns the blob and each tensor's byte offset.</summary>
    public static (byte[] Blob, uint[] Offsets) Pack(params float[][] tensors)
    {
        var blob = new List<byte>();
        var offsets = new uint[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            offsets[i] = (uint)blob.Count;
            blob.AddRange(Floats(tensors[i]));
        }

        return ([.. blob], offsets);
    }

    public static float[] RandomFloats(Random rnd, int n, float scale = 4f) =>
        [.. Enumerable.Range(0, n).Select(_ => (float)((rnd.NextDouble() * 2) - 1) * scale)];

    public static void AssertFloats(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} expected {expected[i]:G9}, got {actual[i]:G9}");
            }
        }
    }
}
