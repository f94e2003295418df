using System.Runtime.CompilerServices;
using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>
/// Scratch memory of the fast KPU convolution, one per <see cref="KpuRam"/> (that is, per interpreter), grown on demand
/// and reused by every later layer and run, so that a steady-state run allocates nothing.
/// </summary>
internal sealed class KpuWorkspace
{
    private static readonly ConditionalWeakTable<KpuRam, KpuWorkspace> Cache = new();

    private int[] _staged = [];
    private byte[] _stagedBytes = [];
    private int[] _tapSums = [];
    private long[] _xTerm = [];
    private byte[] _output = [];
    private byte[] _activated = [];
    private Scratch[] _scratch = [];

    /// <summary>The conv step object reused by every layer.</summary>
    public KpuConvStep Step { get; } = new();

    /// <summary>Normal convolution: [pair][Stride] 16-bit pair words.</summary>
    public int[] Staged(int length) => Grow(ref _staged, length);

    /// <summary>Depthwise: [channel][Stride + 1] padded u8 planes.</summary>
    public byte[] StagedBytes(int length) => Grow(ref _stagedBytes, length);

    /// <summary>Per staged position: Σ over channels (normal convolution).</summary>
    public int[] TapSums(int length) => Grow(ref _tapSums, length);

    /// <summary>Per output position: (arg_x·Σx) &gt;&gt; shr_x (normal convolution).</summary>
    public long[] XTerm(int length) => Grow(ref _xTerm, length);

    /// <summary>[oc][frame] activated u8 values of one batch.</summary>
    public byte[] Activated(int length) => Grow(ref _activated, length);

    /// <summary>Dense [oc][y][x] output of one batch.</summary>
    public byte[] Output(int length) => Grow(ref _output, length);

    /// <summary>Per-participant scratch for <paramref name="participants"/> participants.</summary>
    public Scratch[] Participants(int participants)
    {
        if (_scratch.Length < participants)
        {
            Scratch[] grown = new Scratch[participants];
            _scratch.CopyTo(grown, 0);
            for (int i = _scratch.Length; i < participants; i++)
            {
                grown[i] = new Scratch();
            }

            _scratch = grown;
        }

        return _scratch;
    }

    /// <summary>The workspace of <paramref name="ram"/>.</summary>
    public static KpuWorkspace For(KpuRam ram) => Cache.GetValue(ram, static _ => new KpuWorkspace());

    internal static T[] Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = GC.AllocateUninitializedArray<T>(length, pinned: false);
        }

        return array;
    }

    /// <summary>Scratch of one participant.</summary>
    internal sealed class Scratch
    {
        private int[] _acc = [];
        private int[] _sums = [];
        private int[] _words = [];
        private long[] _xTerm = [];
        private byte[] _compact = [];
        private long[] _values = [];

        /// <summary>[channel][chunk] Σx·w.</summary>
        public int[] Acc(int length) => Grow(ref _acc, length);

        /// <summary>[chunk] Σx (depthwise).</summary>
        public int[] Sums(int length) => Grow(ref _sums, length);

        /// <summary>(x[j], x[j+1]) words of one depthwise channel.</summary>
        public int[] Words(int length) => Grow(ref _words, length);

        /// <summary>[chunk] x term (depthwise).</summary>
        public long[] XTerm(int length) => Grow(ref _xTerm, length);

        /// <summary>One output row of pooled pre-norm values.</summary>
        public long[] Values(int length) => Grow(ref _values, length);

        /// <summary>A dense W×H plane for the generic pool.</summary>
        public byte[] Compact(int length) => Grow(ref _compact, length);
    }
}
