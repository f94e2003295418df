using System.Runtime.ExceptionServices;

namespace K210Kpu.Kernels;

/// <summary>
/// A small, fixed set of background threads that share the items of one data-parallel step with the calling thread.
/// One process-wide instance; a caller that finds it busy (another interpreter running on another thread) runs its
/// items alone. Nothing is allocated per step: the caller passes a reusable <see cref="IKpuParallelWork"/>.
/// </summary>
internal sealed class KpuWorkerPool
{
    private static readonly Lazy<KpuWorkerPool> SharedInstance = new(() => new KpuWorkerPool(Math.Min(Environment.ProcessorCount, 64) - 1));

    /// <summary>Ints between two participants' counters (64 bytes: no shared cache line).</summary>
    private const int Spacing = 16;

    private readonly object _gate = new();
    private readonly ManualResetEventSlim[] _start;
    private readonly ManualResetEventSlim _done = new(false, 200);
    private IKpuParallelWork? _work;
    private int _count;
    private int _participants;
    private int[] _next = [];
    private int[] _end = [];
    private int _active;
    private int _pending;
    private int _generation;
    private ExceptionDispatchInfo? _failure;

    private KpuWorkerPool(int workers)
    {
        _start = new ManualResetEventSlim[Math.Max(workers, 0)];
        for (int i = 0; i < _start.Length; i++)
        {
            _start[i] = new ManualResetEventSlim(false, 200);
            int worker = i + 1;
            var thread = new Thread(() => WorkerLoop(worker))
            {
                IsBackground = true,
                Name = $"kpu-worker-{worker}",
            };
            thread.Start();
        }
    }

    /// <summary>The process-wide pool (ProcessorCount − 1 background threads, created on first use).</summary>
    public static KpuWorkerPool Shared => SharedInstance.Value;

    /// <summary>Most participants a step can have (the caller plus the background threads).</summary>
    public int MaxParticipants => _start.Length + 1;

    /// <summary>
    /// Runs <c>work.Execute(item, participant)</c> for every item in [0, <paramref name="count"/>) on up to
    /// <paramref name="threads"/> participants (participant 0 is the caller) and returns when all are done.
    /// </summary>
    public void Run(IKpuParallelWork work, int count, int threads)
    {
        int participants = Math.Min(Math.Min(threads, count), MaxParticipants);
        if (participants <= 1 || !Monitor.TryEnter(_gate))
        {
            for (int i = 0; i < count; i++)
            {
                work.Execute(i, 0);
            }

            return;
        }

        try
        {
            _work = work;
            _count = count;
            _participants = participants;
            if (_end.Length < participants)
            {
                _next = new int[participants * Spacing];
                _end = new int[participants];
            }

            // Participant p owns items [p·count/P, (p+1)·count/P): consecutive steps that split the same rows the same
            // way leave each thread reading what it wrote. Who finishes its own range takes items from the others.
            for (int p = 0; p < participants; p++)
            {
                _next[p * Spacing] = (int)((long)p * count / participants);
                _end[p] = (int)((long)(p + 1) * count / participants);
            }

            _failure = null;
            _active = participants - 1;
            _pending = participants - 1;
            _done.Reset();

            // Workers that are still spinning see the new generation at once; sleeping ones need the event.
            Interlocked.Increment(ref _generation);
            for (int i = 0; i < _active; i++)
            {
                _start[i].Set();
            }

            Drain(0);

            // A worker of the previous step may set _done late (after its decrement, which let that step end), so a
            // wake-up alone proves nothing: only _pending reaching 0 does. Reset before re-checking, so a set that
            // races with the reset is never lost (the decrement it follows is already visible).
            long spinUntil = 0;
            while (Volatile.Read(ref _pending) != 0)
            {
                if (Spin(ref spinUntil))
                {
                    continue;
                }

                _done.Wait();
                _done.Reset();
            }

            _work = null;
            _failure?.Throw();
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private void Drain(int participant)
    {
        IKpuParallelWork work = _work!;
        int participants = _participants;
        try
        {
            for (int k = 0; k < participants; k++)
            {
                int owner = (participant + k) % participants;
                int end = _end[owner];
                int i;
                while ((i = Interlocked.Increment(ref _next[owner * Spacing]) - 1) < end)
                {
                    work.Execute(i, participant);
                }
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            for (int k = 0; k < participants; k++)
            {
                Volatile.Write(ref _next[k * Spacing], int.MaxValue / 2);
            }
        }
    }

    /// <summary>How long a waiting participant spins before it sleeps.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 4000;

    /// <summary>One short spin; false once the waiter has spun for <see cref="SpinTicks"/> (its clock starts on the first call).</summary>
    private static bool Spin(ref long until)
    {
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (until == 0)
        {
            until = now + SpinTicks;
        }

        if (now >= until)
        {
            return false;
        }

        Thread.SpinWait(30);
        return true;
    }

    private void WorkerLoop(int worker)
    {
        ManualResetEventSlim start = _start[worker - 1];
        int seen = 0;
        while (true)
        {
            // Steps of one model come microseconds apart: spin up to 250 µs before sleeping, since waking a sleeping thread
            // costs tens of microseconds, as long as a small step. A set that races with the reset is never lost: the
            // generation it follows is re-read after the reset.
            int generation;
            long spinUntil = 0;
            while ((generation = Volatile.Read(ref _generation)) == seen)
            {
                if (!Spin(ref spinUntil))
                {
                    start.Wait();
                    start.Reset();
                }
            }

            seen = generation;
            Drain(worker);
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.Set();
            }
        }
    }
}
