using K210Kpu.Kernels;

namespace K210Kpu.Tests.Kernels;

public class KpuWorkerPoolTests
{
    private sealed class CountingWork : IKpuParallelWork
    {
        public int Done;

        public void Execute(int item, int participant)
        {
            // Uneven item costs so the caller and the workers finish at different times.
            Thread.SpinWait((item % 3) * 200);
            Interlocked.Increment(ref Done);
        }
    }

    [Fact]
    public void Run_ManyBackToBackSteps_EveryItemFinishesBeforeRunReturns()
    {
        var work = new CountingWork();
        for (int step = 0; step < 3000; step++)
        {
            work.Done = 0;
            int count = 1 + (step % 5);
            KpuWorkerPool.Shared.Run(work, count, 2);
            Assert.Equal(count, Volatile.Read(ref work.Done));
        }
    }

    private sealed class MarkingWork : IKpuParallelWork
    {
        public int[] Hits = [];

        public void Execute(int item, int participant)
        {
            Thread.SpinWait((item * 7 % 5) * 100);
            Interlocked.Increment(ref Hits[item]);
        }
    }

    /// <summary>Participants start on their own ranges and then take from the others: still every item exactly once.</summary>
    [Fact]
    public void Run_EveryItemRunsExactlyOnce()
    {
        var work = new MarkingWork();
        for (int step = 0; step < 2000; step++)
        {
            int count = 1 + (step % 37);
            work.Hits = new int[count];
            KpuWorkerPool.Shared.Run(work, count, 1 + (step % 3));
            Assert.All(work.Hits, h => Assert.Equal(1, h));
        }
    }
}
