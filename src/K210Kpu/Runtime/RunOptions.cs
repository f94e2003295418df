namespace K210Kpu;

/// <summary>Options of an <see cref="Interpreter"/>.</summary>
public sealed class RunOptions
{
    /// <summary>Arithmetic of float CPU layers. Default <see cref="ArithmeticMode.Reference"/>.</summary>
    public ArithmeticMode Mode { get; init; } = ArithmeticMode.Reference;

    /// <summary>Upper bound on the wall time of one run; <c>null</c> for none. Exceeding it throws <see cref="KpuRuntimeException"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>When true, the fast (SIMD / multi-threaded) kernels are not used; the scalar specification kernels run instead.</summary>
    public bool ForceScalar { get; init; }

    /// <summary>Worker threads the fast kernels may use; 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    public int Threads { get; init; }

    /// <summary>Default options.</summary>
    public static RunOptions Default { get; } = new();
}
