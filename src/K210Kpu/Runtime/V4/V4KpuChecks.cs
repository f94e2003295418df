using K210Kpu.Hardware;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4;

/// <summary>Load-time checks of feature maps stored in KPU RAM in the row layout.</summary>
internal static class V4KpuChecks
{
    /// <summary>Bytes a map of <paramref name="shape"/> (N, C, H, W) occupies in the KPU row layout (<c>get_kpu_bytes</c> × N).</summary>
    public static long MapBytes(V4Shape shape) =>
        V4LoadContext.Mul(KpuRam.RowsFor(shape.D3, shape.D2, shape.D1), KpuRam.RowBytes, shape.D0);

    /// <summary>Checks a map at byte <paramref name="start"/> is 64-byte aligned, has a KPU-sized shape and fits in the 2 MiB; records its end.</summary>
    public static void CheckMap(V4LoadContext ctx, long start, V4Shape shape, string what)
    {
        if (start % KpuRam.RowBytes != 0)
        {
            ctx.Fail($"{what} starts at KPU byte 0x{start:X}, which is not 64-byte aligned");
        }

        ctx.CheckShape(shape, $"{what} shape");
        if (shape.D3 > 4096 || shape.D2 > 4096 || shape.D1 > 4096)
        {
            ctx.Fail($"{what} shape {shape} is too large for KPU RAM");
        }

        long end = start + MapBytes(shape);
        if (end > KpuRam.SizeBytes)
        {
            ctx.Fail($"{what} map {shape} at KPU byte 0x{start:X} ends at 0x{end:X}, beyond the 2 MiB of KPU RAM");
        }

        ctx.TrackKpu(end);
    }
}
