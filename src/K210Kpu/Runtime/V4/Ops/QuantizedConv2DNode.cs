using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// quantized_conv2d (0x0F, variable): grouped uint8 NCHW convolution with int32 accumulation,
/// <c>acc = bias + Σ (in + input_offset)·(w + filter_offset)</c> over valid taps, then
/// <c>clamp(mul_and_carry_shift(acc, output_mul, output_shift) + output_offset, 0, 255)</c>.
/// Note the body order: bias (int32[OC]) before weights (uint8), the reverse of conv2d
/// (nncase v0.2.0-beta4 <c>kernels::neutral::quantized_conv2d</c>).
/// </summary>
internal sealed class QuantizedConv2DNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;
    private int _groups;
    private int _outChannels;
    private V4Window _window;
    private int _inputOffset;
    private int _filterOffset;
    private int _outputMul;
    private int _outputShift;
    private int _outputOffset;
    private int[] _bias = [];
    private ReadOnlyMemory<byte> _weights;

    private QuantizedConv2DNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    private V4Shape OutShape => new(_inShape.D0, _outChannels / _groups * _groups, _window.OutputH(_inShape.D2), _window.OutputW(_inShape.D3));

    public static QuantizedConv2DNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new QuantizedConv2DNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
            _groups = r.ReadInt32("groups"),
            _outChannels = r.ReadInt32("out_channels"),
        };
        n._window = V4Window.Read(ref r, ctx);
        n._inputOffset = r.ReadInt32("input_offset");
        n._filterOffset = r.ReadInt32("filter_offset");
        n._outputMul = r.ReadInt32("output_mul");
        n._outputShift = r.ReadInt32("output_shift");
        n._outputOffset = r.ReadInt32("output_offset");
        long inCount = ctx.CheckShape(n._inShape, "in_shape");
        ctx.CheckRange(n._groups, 1, n._inShape.D1, "groups");
        ctx.CheckRange(n._outChannels, 1, (int)V4LoadContext.MaxElements, "out_channels");
        n._bias = ctx.ReadInts(ref r, n._outChannels, "bias");
        long wCount = V4LoadContext.Mul((long)n._outChannels * n._inShape.D1 / n._groups, n._window.FilterH, n._window.FilterW);
        n._weights = ctx.ReadMemory(ref r, wCount, "weights");
        ctx.Need(n._input, inCount, "input");
        ctx.NeedOutput(n._output, n.OutShape.Elements, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        if (!ex.Options.ForceScalar && _window.StrideW == 1 && !ex.Read(_input).Overlaps(ex.Write(_output)))
        {
            if (_window.StrideH == 1 && _window.PadH.Before >= 0 && _window.PadW.Before >= 0 && FrameElements() <= (1L << 26))
            {
                RunFrame(ex);
            }
            else
            {
                RunRows(ex);
            }

            return;
        }

        RunScalar(ex);
    }

    /// <summary>Elements of the padded frame of one input channel (<see cref="RunFrame"/>).</summary>
    private long FrameElements()
    {
        V4Window w = _window;
        long pitch = w.OutputW(_inShape.D3) + ((long)w.DilationW * (w.FilterW - 1));
        long rows = w.OutputH(_inShape.D2) + ((long)w.DilationH * (w.FilterH - 1));
        return (rows + 1) * pitch + 16;
    }

    /// <summary>
    /// Stride 1: each input channel is laid out once as (x + input_offset) in a frame with a border of zeros (taps the
    /// reference skips add nothing), row pitch outW + dilationW·(filterW − 1), so that every tap of every output
    /// position is one constant offset: per (output channel, input channel, tap) one contiguous multiply-add over the
    /// whole plane, the extra columns computed and dropped. The same int32 sums as the reference, in another order.
    /// </summary>
    private void RunFrame(V4Executor ex)
    {
        ReadOnlySpan<byte> input = ex.Read(_input);
        Span<byte> output = ex.Write(_output);
        ReadOnlySpan<byte> weights = _weights.Span;
        V4Window w = _window;
        int inC = _inShape.D1, inH = _inShape.D2, inW = _inShape.D3;
        int outH = w.OutputH(inH), outW = w.OutputW(inW);
        int pitch = outW + (w.DilationW * (w.FilterW - 1));
        int frame = (int)FrameElements();
        int positions = outH * pitch;
        int gIc = inC / _groups;
        int gOc = _outChannels / _groups;
        int kArea = w.FilterH * w.FilterW;
        int[] planes = ArrayPool<int>.Shared.Rent(inC * frame);
        int[] acc = ArrayPool<int>.Shared.Rent(positions + 16);
        try
        {
            int o = 0;
            for (int batch = 0; batch < _inShape.D0; batch++)
            {
                int inBatch = batch * inC * inH * inW;
                Array.Clear(planes, 0, inC * frame);
                for (int c = 0; c < inC; c++)
                {
                    for (int y = 0; y < inH; y++)
                    {
                        int r = y + w.PadH.Before;
                        if (r * (long)pitch + w.PadW.Before + inW > frame)
                        {
                            continue; // rows below the last one any output reads
                        }

                        ReadOnlySpan<byte> src = input.Slice(inBatch + (((c * inH) + y) * inW), inW);
                        Span<int> dst = planes.AsSpan((c * frame) + (r * pitch) + w.PadW.Before, Math.Min(inW, pitch - w.PadW.Before));
                        for (int x = 0; x < dst.Length; x++)
                        {
                            dst[x] = unchecked(src[x] + _inputOffset);
                        }
                    }
                }

                for (int og = 0; og < _groups; og++)
                {
                    for (int oc = 0; oc < gOc; oc++)
                    {
                        Span<int> sums = acc.AsSpan(0, positions + 16);
                        sums.Fill(_bias[(og * gOc) + oc]);
                        int wOc = ((og * gOc) + oc) * gIc * kArea;
                        for (int ic = 0; ic < gIc; ic++)
                        {
                            ReadOnlySpan<int> plane = planes.AsSpan(((og * gIc) + ic) * frame, frame);
                            for (int ky = 0; ky < w.FilterH; ky++)
                            {
                                for (int kx = 0; kx < w.FilterW; kx++)
                                {
                                    int wV = unchecked(weights[wOc + (((ic * w.FilterH) + ky) * w.FilterW) + kx] + _filterOffset);
                                    int offset = (w.DilationH * ky * pitch) + (w.DilationW * kx);
                                    AddFrame(plane.Slice(offset, positions + 16), wV, sums);
                                }
                            }
                        }

                        for (int oy = 0; oy < outH; oy++)
                        {
                            foreach (int value in sums.Slice(oy * pitch, outW))
                            {
                                output[o++] = Requantize(value);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(planes);
            ArrayPool<int>.Shared.Return(acc);
        }
    }

    /// <summary><c>acc[i] += plane[i] · weight</c> (int32, wrapping) over the whole of <paramref name="acc"/>.</summary>
    private static void AddFrame(ReadOnlySpan<int> plane, int weight, Span<int> acc)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<int> wv = Vector512.Create(weight);
            ref int src = ref MemoryMarshal.GetReference(plane);
            ref int dst = ref MemoryMarshal.GetReference(acc);
            for (; i + 16 <= acc.Length; i += 16)
            {
                (Vector512.LoadUnsafe(ref dst, (nuint)i) + (Vector512.LoadUnsafe(ref src, (nuint)i) * wv)).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < acc.Length; i++)
        {
            acc[i] = unchecked(acc[i] + (plane[i] * weight));
        }
    }

    /// <summary>
    /// The same sums in another order (int32 addition wraps, so the order does not matter): per output channel, per input
    /// channel and tap, the products are added along each output row over the x range whose taps are inside the input,
    /// in vectors when the hardware has them. Stride 1 along x only.
    /// </summary>
    private void RunRows(V4Executor ex)
    {
        ReadOnlySpan<byte> input = ex.Read(_input);
        Span<byte> output = ex.Write(_output);
        ReadOnlySpan<byte> weights = _weights.Span;
        V4Window w = _window;
        int inH = _inShape.D2, inW = _inShape.D3;
        int outH = w.OutputH(inH), outW = w.OutputW(inW);
        int gIc = _inShape.D1 / _groups;
        int gOc = _outChannels / _groups;
        int kArea = w.FilterH * w.FilterW;
        int plane = outH * outW;
        int[] rented = ArrayPool<int>.Shared.Rent(Math.Max(plane, 1));
        Span<int> acc = rented.AsSpan(0, plane);
        int o = 0;
        try
        {
            for (int batch = 0; batch < _inShape.D0; batch++)
            {
                int inBatch = batch * _inShape.D1 * inH * inW;
                for (int og = 0; og < _groups; og++)
                {
                    int inGroup = inBatch + (og * gIc * inH * inW);
                    int wGroup = og * gOc * gIc * kArea;
                    for (int oc = 0; oc < gOc; oc++)
                    {
                        acc.Fill(_bias[(og * gOc) + oc]);
                        int wOc = wGroup + (oc * gIc * kArea);
                        for (int ic = 0; ic < gIc; ic++)
                        {
                            ReadOnlySpan<byte> channel = input.Slice(inGroup + (ic * inH * inW), inH * inW);
                            for (int ky = 0; ky < w.FilterH; ky++)
                            {
                                for (int kx = 0; kx < w.FilterW; kx++)
                                {
                                    int wV = unchecked(weights[wOc + (((ic * w.FilterH) + ky) * w.FilterW) + kx] + _filterOffset);
                                    int shift = (w.DilationW * kx) - w.PadW.Before; // ix = ox + shift
                                    int x0 = Math.Max(0, -shift);
                                    int x1 = Math.Min(outW, inW - shift);
                                    if (x1 <= x0)
                                    {
                                        continue;
                                    }

                                    AddRows(channel, inW, inH, (w.DilationH * ky) - w.PadH.Before, w.StrideH, shift, x0, x1 - x0, _inputOffset, wV, acc, outW, outH);
                                }
                            }
                        }

                        foreach (int value in acc)
                        {
                            output[o++] = Requantize(value);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// For every output row oy whose input row iy = oy·strideH + iyBase is inside the input:
    /// <c>acc[oy·outW + x0 + i] += (channel[iy·inW + x0 + shift + i] + inputOffset) · weight</c> for i &lt; count.
    /// </summary>
    private static void AddRows(ReadOnlySpan<byte> channel, int inW, int inH, int iyBase, int strideH, int shift, int x0, int count, int inputOffset, int weight, Span<int> acc, int outW, int outH)
    {
        for (int oy = 0; oy < outH; oy++)
        {
            int iy = (oy * strideH) + iyBase;
            if ((uint)iy < (uint)inH)
            {
                AddRow(channel.Slice((iy * inW) + x0 + shift, count), inputOffset, weight, acc.Slice((oy * outW) + x0, count));
            }
        }
    }

    /// <summary><c>acc[i] += (row[i] + inputOffset) · weight</c>, int32 wrapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ReadOnlySpan<byte> row, int inputOffset, int weight, Span<int> acc)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            Vector512<int> offset512 = Vector512.Create(inputOffset);
            Vector512<int> w512 = Vector512.Create(weight);
            ref byte src = ref MemoryMarshal.GetReference(row);
            ref int dst = ref MemoryMarshal.GetReference(acc);
            for (; i + 16 <= row.Length; i += 16)
            {
                Vector512<int> x = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref src, (nuint)i)) + offset512;
                (Vector512.LoadUnsafe(ref dst, (nuint)i) + Avx512F.MultiplyLow(x, w512)).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        if (Avx2.IsSupported)
        {
            Vector256<int> offset = Vector256.Create(inputOffset);
            Vector256<int> wv = Vector256.Create(weight);
            ref byte src = ref MemoryMarshal.GetReference(row);
            ref int dst = ref MemoryMarshal.GetReference(acc);
            for (; i + 8 <= row.Length; i += 8)
            {
                Vector128<byte> bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, i))).AsByte();
                Vector256<int> x = Avx2.ConvertToVector256Int32(bytes) + offset;
                (Vector256.LoadUnsafe(ref dst, (nuint)i) + Avx2.MultiplyLow(x, wv)).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < row.Length; i++)
        {
            acc[i] = unchecked(acc[i] + ((row[i] + inputOffset) * weight));
        }
    }

    /// <summary>An int32 sum to the output byte: <c>clamp(mul_and_carry_shift(sum, mul, shift) + offset)</c>.</summary>
    private byte Requantize(int sum) =>
        NeutralMath.ClampToByte(unchecked(NeutralMath.MulAndCarryShift(sum, _outputMul, _outputShift) + _outputOffset));

    /// <summary>The reference loop nest, one output element at a time.</summary>
    private void RunScalar(V4Executor ex)
    {
        ReadOnlySpan<byte> input = ex.Read(_input);
        Span<byte> output = ex.Write(_output);
        ReadOnlySpan<byte> weights = _weights.Span;
        V4Window w = _window;
        int inH = _inShape.D2, inW = _inShape.D3;
        int outH = w.OutputH(inH), outW = w.OutputW(inW);
        int gIc = _inShape.D1 / _groups;
        int gOc = _outChannels / _groups;
        int kArea = w.FilterH * w.FilterW;
        int o = 0;
        for (int batch = 0; batch < _inShape.D0; batch++)
        {
            int inBatch = batch * _inShape.D1 * inH * inW;
            for (int og = 0; og < _groups; og++)
            {
                int inGroup = inBatch + (og * gIc * inH * inW);
                int wGroup = og * gOc * gIc * kArea;
                for (int oc = 0; oc < gOc; oc++)
                {
                    int wOc = wGroup + (oc * gIc * kArea);
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int inYOrigin = (oy * w.StrideH) - w.PadH.Before;
                        int kyStart = NeutralMath.FilterStart(inYOrigin, w.DilationH);
                        int kyEnd = NeutralMath.FilterEnd(inYOrigin, inH, w.FilterH, w.DilationH);
                        for (int ox = 0; ox < outW; ox++)
                        {
                            int inXOrigin = (ox * w.StrideW) - w.PadW.Before;
                            int kxStart = NeutralMath.FilterStart(inXOrigin, w.DilationW);
                            int kxEnd = NeutralMath.FilterEnd(inXOrigin, inW, w.FilterW, w.DilationW);
                            int value = _bias[(og * gOc) + oc];
                            for (int ic = 0; ic < gIc; ic++)
                            {
                                int inC = inGroup + (ic * inH * inW);
                                int wIc = wOc + (ic * kArea);
                                for (int ky = kyStart; ky < kyEnd; ky++)
                                {
                                    int inRow = inC + ((inYOrigin + (w.DilationH * ky)) * inW);
                                    int wRow = wIc + (ky * w.FilterW);
                                    for (int kx = kxStart; kx < kxEnd; kx++)
                                    {
                                        // int32 arithmetic wraps, as it does (in practice) in the reference.
                                        int inV = input[inRow + inXOrigin + (w.DilationW * kx)] + _inputOffset;
                                        int wV = weights[wRow + kx] + _filterOffset;
                                        value = unchecked(value + (inV * wV));
                                    }
                                }
                            }

                            output[o++] = Requantize(value);
                        }
                    }
                }
            }
        }
    }

    public override LayerDescriptor Describe()
    {
        V4Shape os = OutShape;
        return RangeDescriptor(
            os.ToArray(),
            V4LoadContext.Mul(os.Elements, _inShape.D1 / _groups, _window.FilterH, _window.FilterW),
            $"{_input} [{_inShape}] -> {_output} [{os}], groups {_groups}, {_window}, in_off {_inputOffset}, w_off {_filterOffset}, out mul {_outputMul} shift {_outputShift} off {_outputOffset}");
    }
}
