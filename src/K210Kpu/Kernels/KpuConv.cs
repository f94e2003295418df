using System.Buffers;
using System.Buffers.Binary;
using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>
/// The KPU convolution pipeline: read input from KPU RAM → conv (1×1/3×3, normal/depthwise, offset terms) →
/// batch-norm → 16-segment activation → pool → write back to KPU RAM, and optionally the dense NCHW output
/// to main memory (kpu-and-kmodel-v3 §3; kmodel-v4 §6.5; nncase v0.2.0-beta4 <c>kernels/k210/k210_kernels.h</c>).
/// This scalar form is the specification the fast paths are tested against.
/// </summary>
internal static partial class KpuConv
{
    /// <summary>
    /// Runs <paramref name="layer"/> on <paramref name="ram"/>. When <paramref name="mainOutput"/> is not empty it
    /// receives the dense NCHW uint8 output (<see cref="KpuConvLayer.OutputBytes"/> bytes). Uses the fast kernels
    /// unless <see cref="RunOptions.ForceScalar"/> is set or the layer has 16-bit weights.
    /// </summary>
    public static void Run(KpuConvLayer layer, KpuRam ram, Span<byte> mainOutput, RunOptions options)
    {
        if (!options.ForceScalar && !layer.SixteenBitWeights)
        {
            RunFast(layer, ram, mainOutput, options.Threads);
            return;
        }

        RunScalar(layer, ram, mainOutput);
    }

    /// <summary>The scalar specification of <see cref="Run"/>.</summary>
    public static void RunScalar(KpuConvLayer layer, KpuRam ram, Span<byte> mainOutput)
    {
        KpuLayerArgument a = layer.Arguments;
        int inW = a.InputWidth, inH = a.InputHeight, inC = a.InputChannels;
        int outW = a.OutputWidth, outH = a.OutputHeight, outC = a.OutputChannels;
        int plane = inW * inH;
        int outPlane = outW * outH;
        int batches = layer.Batches;

        byte[] input = ArrayPool<byte>.Shared.Rent(inC * plane);        // [ic][y][x], u8, one batch
        long[] acc = ArrayPool<long>.Shared.Rent(plane);               // [y][x], conv result of one output channel
        long[] sumX = ArrayPool<long>.Shared.Rent(plane);              // [y][x], Σx over the window (all input channels)
        byte[] activated = ArrayPool<byte>.Shared.Rent(plane);         // [y][x], u8 after activation
        byte[] output = ArrayPool<byte>.Shared.Rent(outC * outPlane);  // [oc][y][x], u8 after pooling, one batch
        int[] weights = ArrayPool<int>.Shared.Rent((a.DepthWiseLayer ? 1 : inC) * a.KernelSize * a.KernelSize);
        try
        {
            int inBatchRows = KpuRam.RowsFor(inW, inH, inC);
            int outBatchRows = KpuRam.RowsFor(outW, outH, outC);
            for (int n = 0; n < batches; n++)
            {
                Span<byte> x = input.AsSpan(0, inC * plane);
                ram.Download(a.ImageSrcAddr + (n * inBatchRows), inW, inH, inC, x);
                if (!a.DepthWiseLayer)
                {
                    SumInputs(x, inW, inH, 0, inC, a.KernelSize, a.PadValue, sumX.AsSpan(0, plane));
                }

                for (int oc = 0; oc < outC; oc++)
                {
                    int groupChannels = a.DepthWiseLayer ? 1 : inC;
                    int firstChannel = a.DepthWiseLayer ? oc : 0;
                    Span<int> w = weights.AsSpan(0, groupChannels * a.KernelSize * a.KernelSize);
                    long sumW = ReadWeights(layer, oc, w);
                    if (a.DepthWiseLayer)
                    {
                        SumInputs(x, inW, inH, oc, 1, a.KernelSize, a.PadValue, sumX.AsSpan(0, plane));
                    }

                    Span<long> plain = acc.AsSpan(0, plane);
                    Accumulate(x, inW, inH, firstChannel, groupChannels, a.KernelSize, a.PadValue, w, plain);

                    long weightTerm = (a.ArgW * sumW) >> a.ShrW;
                    long constant = a.ArgAdd * groupChannels;
                    for (int i = 0; i < plane; i++)
                    {
                        plain[i] += ((a.ArgX * sumX[i]) >> a.ShrX) + weightTerm + constant;
                    }

                    KpuActivation.Apply(plain, layer.BatchNorm[oc], layer.Activation, activated.AsSpan(0, plane));
                    KpuPool.Run(activated.AsSpan(0, plane), inW, inH, a.PoolType, output.AsSpan(oc * outPlane, outPlane), outW, outH);
                }

                ReadOnlySpan<byte> result = output.AsSpan(0, outC * outPlane);
                ram.Upload(result, a.ImageDstAddr + (n * outBatchRows), outW, outH, outC);
                if (!mainOutput.IsEmpty)
                {
                    result.CopyTo(mainOutput.Slice(n * result.Length, result.Length));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<long>.Shared.Return(acc);
            ArrayPool<long>.Shared.Return(sumX);
            ArrayPool<byte>.Shared.Return(activated);
            ArrayPool<byte>.Shared.Return(output);
            ArrayPool<int>.Shared.Return(weights);
        }
    }

    /// <summary>
    /// Reads the weights of output channel <paramref name="oc"/> ([ic][ky][kx], or [ky][kx] for depthwise) into
    /// <paramref name="destination"/> and returns their sum Σw.
    /// </summary>
    internal static long ReadWeights(KpuConvLayer layer, int oc, Span<int> destination)
    {
        ReadOnlySpan<byte> all = layer.Weights.Span;
        int count = destination.Length;
        long sum = 0;
        if (layer.SixteenBitWeights)
        {
            ReadOnlySpan<byte> src = all.Slice(oc * count * 2, count * 2);
            for (int i = 0; i < count; i++)
            {
                destination[i] = BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(i * 2, 2));
                sum += destination[i];
            }
        }
        else
        {
            ReadOnlySpan<byte> src = all.Slice(oc * count, count);
            for (int i = 0; i < count; i++)
            {
                destination[i] = src[i];
                sum += destination[i];
            }
        }

        return sum;
    }

    /// <summary>
    /// Σx of every output position: the sum of the K×K window over <paramref name="channels"/> input channels starting at
    /// <paramref name="firstChannel"/>, padded taps counting as <paramref name="padValue"/>.
    /// </summary>
    internal static void SumInputs(ReadOnlySpan<byte> input, int width, int height, int firstChannel, int channels, int kernel, byte padValue, Span<long> destination)
    {
        int pad = kernel == 3 ? 1 : 0;
        int plane = width * height;
        for (int oy = 0; oy < height; oy++)
        {
            for (int ox = 0; ox < width; ox++)
            {
                long sum = 0;
                for (int c = firstChannel; c < firstChannel + channels; c++)
                {
                    for (int ky = 0; ky < kernel; ky++)
                    {
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            int y = oy - pad + ky;
                            int x = ox - pad + kx;
                            sum += (uint)y < (uint)height && (uint)x < (uint)width ? input[(c * plane) + (y * width) + x] : padValue;
                        }
                    }
                }

                destination[(oy * width) + ox] = sum;
            }
        }
    }

    /// <summary>
    /// Σ x·w of every output position (stride 1, "same" size), over <paramref name="channels"/> input channels starting
    /// at <paramref name="firstChannel"/>, with <paramref name="weights"/> [c][ky][kx] and padded taps = <paramref name="padValue"/>.
    /// </summary>
    internal static void Accumulate(ReadOnlySpan<byte> input, int width, int height, int firstChannel, int channels, int kernel, byte padValue, ReadOnlySpan<int> weights, Span<long> destination)
    {
        int pad = kernel == 3 ? 1 : 0;
        int plane = width * height;
        destination.Clear();
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<byte> channel = input.Slice((firstChannel + c) * plane, plane);
            for (int ky = 0; ky < kernel; ky++)
            {
                for (int kx = 0; kx < kernel; kx++)
                {
                    long w = weights[(((c * kernel) + ky) * kernel) + kx];
                    long padProduct = padValue * w;

                    // Output columns whose tap x = ox − pad + kx lies inside the row: [xStart, xEnd).
                    int xStart = Math.Max(0, pad - kx);
                    int xEnd = Math.Min(width, width + pad - kx);
                    for (int oy = 0; oy < height; oy++)
                    {
                        int y = oy - pad + ky;
                        Span<long> row = destination.Slice(oy * width, width);
                        if ((uint)y >= (uint)height)
                        {
                            for (int ox = 0; ox < width; ox++)
                            {
                                row[ox] += padProduct;
                            }

                            continue;
                        }

                        ReadOnlySpan<byte> source = channel.Slice((y * width) - pad + kx + xStart, xEnd - xStart);
                        for (int ox = 0; ox < xStart; ox++)
                        {
                            row[ox] += padProduct;
                        }

                        Span<long> inside = row[xStart..xEnd];
                        for (int i = 0; i < inside.Length; i++)
                        {
                            inside[i] += source[i] * w;
                        }

                        for (int ox = xEnd; ox < width; ox++)
                        {
                            row[ox] += padProduct;
                        }
                    }
                }
            }
        }
    }
}
