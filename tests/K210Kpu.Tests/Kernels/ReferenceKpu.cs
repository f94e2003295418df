using K210Kpu.Hardware;

namespace K210Kpu.Tests.Kernels;

/// <summary>
/// A second, deliberately naive KPU written straight from kpu-and-kmodel-v3 §1.3 and §3 and kmodel-v4 §6.5:
/// it addresses KPU RAM through the layout registers (not the width rules) and computes every output pixel on its own.
/// </summary>
internal static class ReferenceKpu
{
    public static byte In(KpuRam ram, in KpuLayerArgument a, int c, int y, int x) =>
        ram.Data[(a.ImageSrcAddr * 64) + (c / a.CoefGroup * a.ChannelSwitchAddr * 64) + (c % a.CoefGroup * (64 / a.CoefGroup)) + (y * a.RowSwitchAddr * 64) + x];

    public static int OutAddress(in KpuLayerArgument a, int c, int y, int x) =>
        (a.ImageDstAddr * 64) + (c / a.WbGroup * a.WbChannelSwitchAddr * 64) + (c % a.WbGroup * (64 / a.WbGroup)) + (y * a.WbRowSwitchAddr * 64) + x;

    public static long RoundShift(long t, int s)
    {
        if (s == 0)
        {
            return t;
        }

        long q = t >> s;
        long f = t & ((1L << s) - 1);
        long h = 1L << (s - 1);
        long sg = t < 0 ? -1 : 1;
        return f < h ? q : f > h ? q + sg : (q & 1) != 0 ? q + sg : q;
    }

    /// <summary>Conv → BN → activation of output channel oc at (y, x), before pooling.</summary>
    public static byte Activated(KpuRam ram, in KpuLayerArgument a, int[][] weights, KpuBatchNorm[] bn, KpuActivationSegment[] act, int oc, int oy, int ox)
    {
        int k = a.KernelSize, pad = k == 3 ? 1 : 0;
        int[] channels = a.DepthWiseLayer ? [oc] : Enumerable.Range(0, a.InputChannels).ToArray();
        long sxw = 0, sx = 0, sw = 0;
        for (int ci = 0; ci < channels.Length; ci++)
        {
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    int iy = oy - pad + ky, ix = ox - pad + kx;
                    long x = iy >= 0 && iy < a.InputHeight && ix >= 0 && ix < a.InputWidth ? In(ram, a, channels[ci], iy, ix) : a.PadValue;
                    long w = weights[oc][(((ci * k) + ky) * k) + kx];
                    sxw += x * w;
                    sx += x;
                    sw += w;
                }
            }
        }

        long acc = sxw + ((a.ArgX * sx) >> a.ShrX) + ((a.ArgW * sw) >> a.ShrW) + (a.ArgAdd * channels.Length);
        long v = ((acc * bn[oc].Mul) >> bn[oc].Shift) + bn[oc].Add;
        int seg = 0;
        for (int i = 15; i >= 0; i--)
        {
            if (v > act[i].StartX)
            {
                seg = i;
                break;
            }
        }

        long r = RoundShift((v - act[seg].StartX) * act[seg].Mul, act[seg].Shift) + act[seg].Add;
        return (byte)Math.Clamp(r, 0, 255);
    }

    /// <summary>Pool of one output pixel per the pool table: window, stride and the edge rule of each type.</summary>
    public static byte Pool(Func<int, int, byte> a, int w, int h, int type, int oy, int ox)
    {
        (int f, int s) = type switch { 0 => (1, 1), 1 or 2 or 5 or 6 => (2, 2), 3 or 4 or 7 => (4, 4), _ => (2, 1) };
        int y0 = oy * s, x0 = ox * s;
        switch (type)
        {
            case 0:
            case 5:
            case 7:
                return a(y0, x0);
            case 6:
                return a(y0, x0 + 1);
            case 1:
            case 3:
            case 9:
            {
                int m = 0;
                for (int y = y0; y < y0 + f; y++)
                {
                    for (int x = x0; x < x0 + f; x++)
                    {
                        if (y < h && x < w)
                        {
                            m = Math.Max(m, a(y, x));
                        }
                    }
                }

                return (byte)m;
            }

            default:
            {
                int sum = 0;
                for (int y = y0; y < y0 + f; y++)
                {
                    for (int x = x0; x < x0 + f; x++)
                    {
                        sum += a(Math.Min(y, h - 1), Math.Min(x, w - 1));
                    }
                }

                return (byte)(sum / (f * f));
            }
        }
    }

    /// <summary>The whole layer: dense NCHW output [oc][oy][ox].</summary>
    public static byte[] Run(KpuRam ram, in KpuLayerArgument a, int[][] weights, KpuBatchNorm[] bn, KpuActivationSegment[] act)
    {
        var output = new byte[a.OutputChannels * a.OutputHeight * a.OutputWidth];
        KpuLayerArgument args = a;
        for (int oc = 0; oc < a.OutputChannels; oc++)
        {
            var plane = new byte[a.InputHeight, a.InputWidth];
            for (int y = 0; y < a.InputHeight; y++)
            {
                for (int x = 0; x < a.InputWidth; x++)
                {
                    plane[y, x] = Activated(ram, args, weights, bn, act, oc, y, x);
                }
            }

            for (int oy = 0; oy < a.OutputHeight; oy++)
            {
                for (int ox = 0; ox < a.OutputWidth; ox++)
                {
                    output[(((oc * a.OutputHeight) + oy) * a.OutputWidth) + ox] =
                        Pool((y, x) => plane[y, x], a.InputWidth, a.InputHeight, a.PoolType, oy, ox);
                }
            }
        }

        return output;
    }
}
