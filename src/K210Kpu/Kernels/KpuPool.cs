namespace K210Kpu.Kernels;

/// <summary>
/// The KPU pooling stage on one uint8 channel plane (kmodel-v4 §6.5 step 5; nncase v0.2.0-beta4
/// <c>kernels/k210/k210_kernels.h</c> <c>kpu_pool2d</c>). Output size is input / stride (C integer division).
/// </summary>
internal static partial class KpuPool
{
    /// <summary>Highest defined pool type.</summary>
    public const int MaxPoolType = 9;

    /// <summary>Window size of pool <paramref name="type"/>.</summary>
    public static int FilterSize(int type) => type switch
    {
        0 => 1,
        1 or 2 or 5 or 6 or 8 or 9 => 2,
        3 or 4 or 7 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Stride of pool <paramref name="type"/>.</summary>
    public static int Stride(int type) => type switch
    {
        0 or 8 or 9 => 1,
        1 or 2 or 5 or 6 => 2,
        3 or 4 or 7 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Output extent for an input extent of <paramref name="size"/>.</summary>
    public static int OutputSize(int size, int type) => size / Stride(type);

    /// <summary>
    /// Pools <paramref name="input"/> ([h][w] u8) into <paramref name="output"/> ([outH][outW] u8).
    /// Max pools treat taps outside the map as 0; mean pools clamp them to the edge; select pools read 0 outside.
    /// </summary>
    public static void Run(ReadOnlySpan<byte> input, int width, int height, int type, Span<byte> output, int outWidth, int outHeight)
    {
        if (type == 0)
        {
            for (int y = 0; y < outHeight; y++)
            {
                input.Slice(y * width, outWidth).CopyTo(output.Slice(y * outWidth, outWidth));
            }

            return;
        }

        int filter = FilterSize(type);
        int stride = Stride(type);
        for (int oy = 0; oy < outHeight; oy++)
        {
            for (int ox = 0; ox < outWidth; ox++)
            {
                int y0 = oy * stride;
                int x0 = ox * stride;
                int value;
                switch (type)
                {
                    case 1 or 3 or 9:
                        value = 0;
                        for (int ky = 0; ky < filter; ky++)
                        {
                            for (int kx = 0; kx < filter; kx++)
                            {
                                value = Math.Max(value, Tap(input, width, height, y0 + ky, x0 + kx));
                            }
                        }

                        break;
                    case 2 or 4 or 8:
                        value = 0;
                        for (int ky = 0; ky < filter; ky++)
                        {
                            for (int kx = 0; kx < filter; kx++)
                            {
                                int y = Math.Min(y0 + ky, height - 1);
                                int x = Math.Min(x0 + kx, width - 1);
                                value += input[(y * width) + x];
                            }
                        }

                        value /= filter * filter;
                        break;
                    case 5 or 7:
                        value = Tap(input, width, height, y0, x0);
                        break;
                    default: // 6: right top
                        value = Tap(input, width, height, y0, x0 + 1);
                        break;
                }

                output[(oy * outWidth) + ox] = (byte)value;
            }
        }
    }

    private static int Tap(ReadOnlySpan<byte> input, int width, int height, int y, int x) =>
        (uint)y < (uint)height && (uint)x < (uint)width ? input[(y * width) + x] : 0;
}
