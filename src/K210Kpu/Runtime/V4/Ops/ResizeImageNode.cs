using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// resize_image (0x0A, 64 bytes): bilinear (optionally align_corners) or nearest-neighbour resize of a float32 or uint8
/// NCHW tensor (nncase v0.2.0-beta4 <c>kernels::neutral::resize_bilinear</c> / <c>resize_nearest_neighbor</c>).
/// </summary>
internal sealed class ResizeImageNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;
    private int _outH;
    private int _outW;
    private uint _mode;
    private bool _alignCorners;

    private ResizeImageNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    private V4Shape OutShape => new(_inShape.D0, _inShape.D1, _outH, _outW);

    private bool IsBilinear => _mode == 0;

    public static ResizeImageNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new ResizeImageNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
            _outH = r.ReadInt32("out_h"),
            _outW = r.ReadInt32("out_w"),
            _mode = r.ReadUInt32("mode"),
        };

        // align_corners is a C++ bool followed by 3 bytes of struct padding.
        n._alignCorners = r.ReadByte("align_corners") != 0;
        r.Skip(3, "resize_image_options padding");
        ctx.CheckShape(n._inShape, "in_shape");
        ctx.CheckRange(n._outH, 1, 1 << 16, "out_h");
        ctx.CheckRange(n._outW, 1, 1 << 16, "out_w");
        int es = n._input.ElementSize;
        ctx.Need(n._input, n._inShape.Elements * es, "input");
        long outCount = n.OutShape.Elements;
        if (outCount > V4LoadContext.MaxElements)
        {
            ctx.Fail($"the resized shape {n.OutShape} is too large");
        }

        ctx.NeedOutput(n._output, outCount * es, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<byte> inBytes = ex.Read(_input);
        Span<byte> outBytes = ex.Write(_output);
        bool f32 = _input.DataType == ElementType.Float32;
        if (!IsBilinear)
        {
            if (f32)
            {
                Nearest(MemoryMarshal.Cast<byte, float>(inBytes), MemoryMarshal.Cast<byte, float>(outBytes));
            }
            else
            {
                Nearest(inBytes, outBytes);
            }

            return;
        }

        Bilinear(inBytes, outBytes, f32, ex.DeviceMode);
    }

    private void Bilinear(ReadOnlySpan<byte> inBytes, Span<byte> outBytes, bool f32, bool fused)
    {
        ReadOnlySpan<float> inF = f32 ? MemoryMarshal.Cast<byte, float>(inBytes) : default;
        Span<float> outF = f32 ? MemoryMarshal.Cast<byte, float>(outBytes) : default;
        int h = _inShape.D2, w = _inShape.D3;
        float hs = (float)h / _outH;
        float ws = (float)w / _outW;
        if (_alignCorners && _outH > 1)
        {
            hs = (float)(h - 1) / (_outH - 1);
        }

        if (_alignCorners && _outW > 1)
        {
            ws = (float)(w - 1) / (_outW - 1);
        }

        int o = 0;
        for (int batch = 0; batch < _inShape.D0; batch++)
        {
            for (int c = 0; c < _inShape.D1; c++)
            {
                int plane = ((batch * _inShape.D1) + c) * h * w;
                for (int oy = 0; oy < _outH; oy++)
                {
                    float inY = oy * hs;

                    // (int)floorf as the reference; the min only guards against a float rounding up to H, where the reference reads out of bounds.
                    int y0 = Math.Min((int)MathF.Floor(inY), h - 1);
                    int y1 = Math.Min(y0 + 1, h - 1);
                    float dy = inY - y0;
                    for (int ox = 0; ox < _outW; ox++)
                    {
                        float inX = ox * ws;
                        int x0 = Math.Min((int)MathF.Floor(inX), w - 1);
                        int x1 = Math.Min(x0 + 1, w - 1);
                        float dx = inX - x0;
                        int i0 = plane + (y0 * w) + x0;
                        int i1 = plane + (y1 * w) + x0;
                        int i2 = plane + (y0 * w) + x1;
                        int i3 = plane + (y1 * w) + x1;
                        float v0 = f32 ? inF[i0] : inBytes[i0];
                        float v1 = f32 ? inF[i1] : inBytes[i1];
                        float v2 = f32 ? inF[i2] : inBytes[i2];
                        float v3 = f32 ? inF[i3] : inBytes[i3];
                        float a0 = (1 - dy) * (1 - dx);
                        float a1 = dy * (1 - dx);
                        float a2 = (1 - dy) * dx;
                        float a3 = dy * dx;

                        // v0·a0 + v1·a1 + v2·a2 + v3·a3, left to right (a chain of fused multiply-adds on the device).
                        float value = v0 * a0;
                        value = NeutralMath.MulAdd(v1, a1, value, fused);
                        value = NeutralMath.MulAdd(v2, a2, value, fused);
                        value = NeutralMath.MulAdd(v3, a3, value, fused);
                        if (f32)
                        {
                            outF[o++] = value;
                        }
                        else
                        {
                            // T(float) for uint8: C truncation toward zero (the weights sum to ~1, so the value stays in 0..255).
                            int t = float.IsNaN(value) ? 0 : (int)Math.Clamp(value, 0f, 255f);
                            outBytes[o++] = (byte)t;
                        }
                    }
                }
            }
        }
    }

    private void Nearest<T>(ReadOnlySpan<T> input, Span<T> output)
    {
        int h = _inShape.D2, w = _inShape.D3;
        float hs = (float)h / _outH;
        float ws = (float)w / _outW;
        int o = 0;
        for (int batch = 0; batch < _inShape.D0; batch++)
        {
            for (int c = 0; c < _inShape.D1; c++)
            {
                int plane = ((batch * _inShape.D1) + c) * h * w;
                for (int oy = 0; oy < _outH; oy++)
                {
                    int iy = Math.Min((int)MathF.Floor(oy * hs), h - 1);
                    for (int ox = 0; ox < _outW; ox++)
                    {
                        int ix = Math.Min((int)MathF.Floor(ox * ws), w - 1);
                        output[o++] = input[plane + (iy * w) + ix];
                    }
                }
            }
        }
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        OutShape.ToArray(),
        0,
        $"{(IsBilinear ? "bilinear" : "nearest")}{(IsBilinear && _alignCorners ? " align_corners" : string.Empty)} {_input} [{_inShape}] -> {_output} [{OutShape}]");
}
