using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>
/// RESIZE_NEAREST_NEIGHBOR (22, float) and QUANTIZED_RESIZE_NEAREST_NEIGHBOR (23, u8): <c>sh = (float)in_h / out_h</c>,
/// <c>iy = (uint)min(floorf(oy·sh), in_h − 1)</c> (likewise x). <c>align_corners</c> is ignored, as the SDK does.
/// </summary>
internal sealed class ResizeNearestNeighborOp(int index, V3LayerType type, long bodyOffset, long input, long output,
    int inWidth, int inHeight, int channels, int outWidth, int outHeight, uint alignCorners)
    : V3Op(index, type, bodyOffset)
{
    private bool Quantized => Type == V3LayerType.QuantizedResizeNearestNeighbor;

    private int ElementBytes => Quantized ? 1 : 4;

    private long OutElements => (long)outWidth * outHeight * channels;

    public override string Name => Quantized ? "QuantizedResizeNearestNeighbor" : "ResizeNearestNeighbor";

    public override ElementType OutputType => Quantized ? ElementType.UInt8 : ElementType.Float32;

    public override long OutputStart => output;

    public override int OutputBytes => (int)(OutElements * ElementBytes);

    public override int[]? OwnOutputShape => [1, channels, outHeight, outWidth];

    public override string Details => $"{channels}x{inHeight}x{inWidth} -> {outHeight}x{outWidth}, align_corners {alignCorners} (ignored), @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, (long)inWidth * inHeight * channels * ElementBytes, "input");
        yield return (output, OutElements * ElementBytes, "output");
    }

    /// <summary>The source index of output index <paramref name="o"/>.</summary>
    public static int SourceIndex(int o, float scale, int inSize)
    {
        float f = MathF.Floor((float)o * scale);
        float limit = (float)(uint)(inSize - 1);
        return (int)(uint)(f < limit ? f : limit);
    }

    public override void Run(V3Executor executor)
    {
        float heightScale = (float)inHeight / (float)outHeight;
        float widthScale = (float)inWidth / (float)outWidth;
        long k = 0;
        byte[] m = executor.Main;
        Span<float> src = Quantized ? default : executor.Floats(input, (long)inWidth * inHeight * channels);
        Span<float> dst = Quantized ? default : executor.Floats(output, OutElements);
        for (int c = 0; c < channels; c++)
        {
            long channel = (long)inWidth * inHeight * c;
            for (int oy = 0; oy < outHeight; oy++)
            {
                long row = channel + ((long)SourceIndex(oy, heightScale, inHeight) * inWidth);
                for (int ox = 0; ox < outWidth; ox++)
                {
                    long at = row + SourceIndex(ox, widthScale, inWidth);
                    if (Quantized)
                    {
                        m[output + k] = m[input + at];
                    }
                    else
                    {
                        dst[(int)k] = src[(int)at];
                    }

                    k++;
                }
            }
        }
    }
}
