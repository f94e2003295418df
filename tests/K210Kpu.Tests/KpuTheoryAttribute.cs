using K210Kpu.Hardware;
using K210Kpu.Kernels;

namespace K210Kpu.Tests;

/// <summary>
/// A theory that needs ../shared and the shared KPU pipeline (<c>Kernels/KpuConv.Run</c>): skipped, with the reason,
/// while either is missing from the build.
/// </summary>
public sealed class KpuTheoryAttribute : TheoryAttribute
{
    private static readonly Lazy<string?> PipelineMissing = new(Probe);

    public KpuTheoryAttribute()
    {
        if (TestFiles.SharedSkipReason is { } reason)
        {
            Skip = reason;
        }
        else if (PipelineMissing.Value is { } missing)
        {
            Skip = missing;
        }
    }

    /// <summary>Null when the KPU pipeline runs, otherwise why tests needing it are skipped.</summary>
    public static string? KpuSkipReason => PipelineMissing.Value;

    private static string? Probe()
    {
        // A 1×1 conv on a 1×1×1 map: enough to see whether the pipeline is there.
        byte[] regs = new byte[KpuLayerArgument.SizeBytes];
        var layer = new KpuConvLayer(
            new KpuLayerArgument(regs),
            new byte[1],
            false,
            [new KpuBatchNorm(1, 0, 0)],
            [.. Enumerable.Repeat(new KpuActivationSegment(-(1L << 35), 0, 0, 0), 16)]);
        try
        {
            KpuConv.Run(layer, new KpuRam(), Span<byte>.Empty, RunOptions.Default);
            return null;
        }
        catch (NotImplementedException e)
        {
            return $"the shared KPU pipeline is not in this build yet ({e.Message})";
        }
    }
}
