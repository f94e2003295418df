using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>TENSORFLOW_FLATTEN (20): float CHW → HWC, <c>out[k++] = in[(c·h + y)·w + x]</c> for y, x, c.</summary>
internal sealed class TensorflowFlattenOp(int index, long bodyOffset, long input, long output, int width, int height, int channels)
    : V3Op(index, V3LayerType.TensorflowFlatten, bodyOffset)
{
    private long Elements => (long)width * height * channels;

    public override string Name => "TFFlatten";

    public override ElementType OutputType => ElementType.Float32;

    public override long OutputStart => output;

    public override int OutputBytes => (int)(Elements * 4);

    public override int[]? OwnOutputShape => [1, (int)Elements, 1, 1];

    public override string Details => $"{channels}x{height}x{width}, @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, Elements * 4, "input");
        yield return (output, Elements * 4, "output");
    }

    public override void Run(V3Executor executor)
    {
        Span<float> src = executor.Floats(input, Elements);
        Span<float> dst = executor.Floats(output, Elements);
        int k = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    dst[k++] = src[(((c * height) + y) * width) + x];
                }
            }
        }
    }
}
