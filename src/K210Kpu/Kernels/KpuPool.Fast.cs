using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace K210Kpu.Kernels;

/// <summary>The fast path's pool stage: reads a plane stored with a row pitch (the padded frame of the fast convolution).</summary>
internal static partial class KpuPool
{
    /// <summary>
    /// Pools the <paramref name="width"/>×<paramref name="height"/> plane stored in <paramref name="frame"/> with row pitch
    /// <paramref name="pitch"/> into the dense <paramref name="output"/>, exactly as <see cref="Run"/> does. Types 0, 1 and 5
    /// have their own loops; the others compact the plane and call <see cref="Run"/>.
    /// </summary>
    public static void RunFrame(ReadOnlySpan<byte> frame, int pitch, int width, int height, int type, Span<byte> output, int outWidth, int outHeight, KpuWorkspace.Scratch scratch)
    {
        switch (type)
        {
            case 0:
                for (int y = 0; y < outHeight; y++)
                {
                    frame.Slice(y * pitch, outWidth).CopyTo(output.Slice(y * outWidth, outWidth));
                }

                return;
            case 1:
                for (int oy = 0; oy < outHeight; oy++)
                {
                    MaxPairRows(frame.Slice(2 * oy * pitch, width), frame.Slice(((2 * oy) + 1) * pitch, width), output.Slice(oy * outWidth, outWidth));
                }

                return;
            case 5:
                for (int oy = 0; oy < outHeight; oy++)
                {
                    ReadOnlySpan<byte> row = frame.Slice(2 * oy * pitch, width);
                    Span<byte> dst = output.Slice(oy * outWidth, outWidth);
                    for (int ox = 0; ox < dst.Length; ox++)
                    {
                        dst[ox] = row[2 * ox];
                    }
                }

                return;
            default:
                byte[] compact = scratch.Compact(width * height);
                for (int y = 0; y < height; y++)
                {
                    frame.Slice(y * pitch, width).CopyTo(compact.AsSpan(y * width, width));
                }

                Run(compact.AsSpan(0, width * height), width, height, type, output, outWidth, outHeight);
                return;
        }
    }

    /// <summary>2×2 max with stride 2 over two rows: <c>dst[x] = max(r0[2x], r0[2x+1], r1[2x], r1[2x+1])</c>.</summary>
    private static void MaxPairRows(ReadOnlySpan<byte> r0, ReadOnlySpan<byte> r1, Span<byte> dst)
    {
        int x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref byte a = ref MemoryMarshal.GetReference(r0);
            ref byte b = ref MemoryMarshal.GetReference(r1);
            ref byte d = ref MemoryMarshal.GetReference(dst);
            for (; (2 * x) + 64 <= r0.Length && x + 32 <= dst.Length; x += 32)
            {
                Vector256<ushort> m0 = Vector256.Max(Vector256.LoadUnsafe(ref a, (nuint)(2 * x)), Vector256.LoadUnsafe(ref b, (nuint)(2 * x))).AsUInt16();
                Vector256<ushort> m1 = Vector256.Max(Vector256.LoadUnsafe(ref a, (nuint)((2 * x) + 32)), Vector256.LoadUnsafe(ref b, (nuint)((2 * x) + 32))).AsUInt16();
                Vector256<ushort> p0 = Vector256.Max(m0 & Vector256.Create((ushort)0xFF), m0 >>> 8);
                Vector256<ushort> p1 = Vector256.Max(m1 & Vector256.Create((ushort)0xFF), m1 >>> 8);
                Vector256.Narrow(p0, p1).StoreUnsafe(ref d, (nuint)x);
            }
        }

        for (; x < dst.Length; x++)
        {
            dst[x] = Math.Max(Math.Max(r0[2 * x], r0[(2 * x) + 1]), Math.Max(r1[2 * x], r1[(2 * x) + 1]));
        }
    }
}
