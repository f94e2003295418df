namespace K210Kpu.Kernels;

/// <summary>One data-parallel step for <see cref="KpuWorkerPool"/>: items run in any order, on any participant.</summary>
internal interface IKpuParallelWork
{
    /// <summary>Runs item <paramref name="item"/>; <paramref name="participant"/> (0 = the caller) selects per-thread scratch.</summary>
    void Execute(int item, int participant);
}
