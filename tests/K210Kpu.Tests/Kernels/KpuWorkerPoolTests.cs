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
}
