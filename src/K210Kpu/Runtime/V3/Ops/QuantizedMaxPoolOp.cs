using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>QUANTIZED_MAX_POOL2D (8): u8 max over the in-range taps of each window, starting from 0.</summary>
internal sealed class QuantizedMaxPoolOp(int index, long bodyOffset, long input, long output, PoolWindow window)
    : V3Op(index, V3LayerType.QuantizedMaxPool2d, bodyOffset)
{
    public override string Name => "QuantizedMaxPool2d";

    public override ElementType OutputType => ElementType.UInt8;

    public override long OutputStart => output;

    public override int OutputBytes => (int)window.OutputElements;

    public override int[]? OwnOutputShape => window.OutputShape;

    public override string Details => $"{window.KernelWidth}x{window.KernelHeight} stride {window.StrideWidth}x{window.StrideHeight}, @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, window.InputElements, "input");
        yield return (output, window.OutputElements, "output");
    }

    public override void Run(V3Executor executor)
    {
        byte[] m = executor.Main;
        PoolWindow w = window;
        long dst = output;
        for (int c = 0; c < w.OutChannels; c++)
        {
            long channel = input + ((long)w.InWidth * w.InHeight * c);
            for (int oy = 0; oy < w.OutHeight; oy++)
            {
                for (int ox = 0; ox < w.OutWidth; ox++)
                {
                    (int originY, int originX, int y0, int y1, int x0, int x1) = w.Taps(oy, ox);
                    byte value = 0;
                    for (int ky = y0; ky < y1; ky++)
                    {
                        for (int kx = x0; kx < x1; kx++)
                        {
                            value = Math.Max(value, m[channel + ((long)(originY + ky) * w.InWidth) + originX + kx]);
                        }
                    }

                    m[dst++] = value;
                }
            }
        }
    }
}
