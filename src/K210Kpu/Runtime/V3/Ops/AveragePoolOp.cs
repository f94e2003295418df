using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>
/// AVERAGE_POOL2D (9): float sum of the in-range taps (ky then kx) divided by their count (a float counter).
/// The body's <c>act</c> is ignored, as the SDK does.
/// </summary>
internal sealed class AveragePoolOp(int index, long bodyOffset, long input, long output, PoolWindow window, uint act)
    : V3Op(index, V3LayerType.AveragePool2d, bodyOffset)
{
    public override string Name => "AveragePool2d";

    public override ElementType OutputType => ElementType.Float32;

    public override long OutputStart => output;

    public override int OutputBytes => (int)(window.OutputElements * 4);

    public override int[]? OwnOutputShape => window.OutputShape;

    public override string Details => $"{window.KernelWidth}x{window.KernelHeight} stride {window.StrideWidth}x{window.StrideHeight}, act {act} (ignored), @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, window.InputElements * 4, "input");
        yield return (output, window.OutputElements * 4, "output");
    }

    public override void Run(V3Executor executor)
    {
        PoolWindow w = window;
        Span<float> src = executor.Floats(input, w.InputElements);
        Span<float> dst = executor.Floats(output, w.OutputElements);
        int k = 0;
        for (int c = 0; c < w.OutChannels; c++)
        {
            int channel = w.InWidth * w.InHeight * c;
            for (int oy = 0; oy < w.OutHeight; oy++)
            {
                for (int ox = 0; ox < w.OutWidth; ox++)
                {
                    (int originY, int originX, int y0, int y1, int x0, int x1) = w.Taps(oy, ox);
                    float value = 0f;
                    float taps = 0f;
                    for (int ky = y0; ky < y1; ky++)
                    {
                        for (int kx = x0; kx < x1; kx++)
                        {
                            value += src[channel + ((originY + ky) * w.InWidth) + originX + kx];
                            taps++;
                        }
                    }

                    dst[k++] = value / taps;
                }
            }
        }
    }
}
