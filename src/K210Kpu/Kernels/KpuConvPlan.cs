using System.Runtime.CompilerServices;
using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>
/// What the fast KPU convolution derives once per layer (8-bit weights only): the geometry of the padded, linear
/// position frame, the weights packed as 16-bit pairs for <c>vpmaddwd</c>, the per-channel constant term and
/// batch-norm, and the activation table as lane tables.
/// </summary>
/// <remarks>
/// The frame: the input plane with a one-pixel border of <c>pad_value</c> (3×3) is stored row after row with pitch
/// <see cref="Pitch"/> = W + 2·pad. Output (y, x) lives at linear index y·Pitch + x and its tap (ky, kx) reads the padded
/// input at that index + ky·Pitch + kx, so every tap is one constant offset and every width vectorizes the same way;
/// the 2·pad extra columns per row are computed and discarded.
/// </remarks>
internal sealed class KpuConvPlan
{
    /// <summary>Output positions per kernel block (4 vectors of 16).</summary>
    public const int Block = 64;

    /// <summary>Granularity of the position range: one vector of 16 (a range ends with up to 3 single-vector steps).</summary>
    public const int Granule = 16;

    /// <summary>Output channels per register block of the normal convolution.</summary>
    public const int Channels = 4;

    private static readonly ConditionalWeakTable<KpuConvLayer, KpuConvPlan> Cache = new();

    private KpuConvPlan(KpuConvLayer layer, int subsample)
    {
        KpuLayerArgument a = layer.Arguments;
        Kernel = a.KernelSize;
        int pad = Kernel == 3 ? 1 : 0;
        Subsample = subsample;
        SourceWidth = a.InputWidth;
        SourceHeight = a.InputHeight;
        Width = a.InputWidth / subsample;
        Height = a.InputHeight / subsample;
        Pitch = Width + (2 * pad);
        PaddedHeight = Height + (2 * pad);
        Positions = Height * Pitch;
        RoundedPositions = (Positions + Granule - 1) / Granule * Granule;
        int reach = (pad * 2 * Pitch) + (pad * 2);
        // Room for a position range that ends up to one granule past the rounded positions (row-aligned ranges).
        Stride = (RoundedPositions + Granule + reach + 2 + 15) / 16 * 16;
        InputChannels = a.InputChannels;
        OutputChannels = a.OutputChannels;
        Depthwise = a.DepthWiseLayer;
        Pairs = (InputChannels + 1) / 2;
        OcBlocks = (OutputChannels + Channels - 1) / Channels;
        PadValue = a.PadValue;
        ArgX = a.ArgX;
        ShrX = a.ShrX;

        int k2 = Kernel * Kernel;
        Taps = new int[k2];
        for (int ky = 0; ky < Kernel; ky++)
        {
            for (int kx = 0; kx < Kernel; kx++)
            {
                Taps[(ky * Kernel) + kx] = (ky * Pitch) + kx;
            }
        }

        ReadOnlySpan<byte> w = layer.Weights.Span;
        Constant = new long[OutputChannels];
        long[] sumWeights = new long[OutputChannels];
        int group = Depthwise ? 1 : InputChannels;
        for (int oc = 0; oc < OutputChannels; oc++)
        {
            long sumW = 0;
            foreach (byte b in w.Slice(oc * group * k2, group * k2))
            {
                sumW += b;
            }

            sumWeights[oc] = sumW;
            Constant[oc] = unchecked(((a.ArgW * sumW) >> a.ShrW) + (a.ArgAdd * group));
        }

        // The x term folds into the weights when arg_x is a multiple of 2^shr_x: (arg_x·Σx) >> shr_x is then z·Σx exactly
        // (z = arg_x / 2^shr_x), so Σx·w + x term = Σx·(w + z), with 16-bit weights w + z and int32 sums that stay exact.
        FoldsXTerm = FoldableXTerm(ArgX, ShrX, w, OutputChannels, group * k2, out long z);
        int fold = FoldsXTerm ? (int)z : 0;

        if (Depthwise)
        {
            // Tap pairs on words (x[j], x[j+1]): per row (w0, w1) at offset ky·Pitch and (w2, 0) at ky·Pitch + 2.
            int tapPairs = Kernel == 3 ? 6 : 1;
            DepthwiseOffsets = new int[tapPairs];
            DepthwiseWeights = new int[OutputChannels * tapPairs];
            DepthwiseOnes = new int[tapPairs];
            if (Kernel == 3)
            {
                for (int ky = 0; ky < 3; ky++)
                {
                    DepthwiseOffsets[2 * ky] = ky * Pitch;
                    DepthwiseOffsets[(2 * ky) + 1] = (ky * Pitch) + 2;
                    DepthwiseOnes[2 * ky] = 0x0001_0001;
                    DepthwiseOnes[(2 * ky) + 1] = 0x0000_0001;
                }
            }
            else
            {
                DepthwiseOnes[0] = 1;
            }

            for (int c = 0; c < OutputChannels; c++)
            {
                ReadOnlySpan<byte> cw = w.Slice(c * k2, k2);
                if (Kernel == 3)
                {
                    for (int ky = 0; ky < 3; ky++)
                    {
                        DepthwiseWeights[(c * tapPairs) + (2 * ky)] = Half(cw[ky * 3] + fold) | (Half(cw[(ky * 3) + 1] + fold) << 16);
                        DepthwiseWeights[(c * tapPairs) + (2 * ky) + 1] = Half(cw[(ky * 3) + 2] + fold);
                    }
                }
                else
                {
                    DepthwiseWeights[c] = Half(cw[0] + fold);
                }
            }

            PackedWeights = [];
        }
        else
        {
            DepthwiseOffsets = [];
            DepthwiseWeights = [];
            DepthwiseOnes = [];

            // [ocBlock][pair][tap][channel]: (w[oc][2q][t], w[oc][2q+1][t]) as the low and high 16 bits.
            PackedWeights = new int[OcBlocks * Pairs * k2 * Channels];
            for (int oc = 0; oc < OutputChannels; oc++)
            {
                int blockBase = (oc / Channels) * Pairs * k2 * Channels;
                int lane = oc % Channels;
                for (int ic = 0; ic < InputChannels; ic++)
                {
                    int q = ic / 2;
                    int shift = (ic & 1) * 16;
                    for (int t = 0; t < k2; t++)
                    {
                        PackedWeights[blockBase + (((q * k2) + t) * Channels) + lane] |= Half(w[(((oc * InputChannels) + ic) * k2) + t] + fold) << shift;
                    }
                }
            }
        }

        BatchNorm = layer.BatchNorm;
        KpuActivationSegment[] s = layer.Activation;
        Segments = s;
        Sorted = true;
        for (int i = 1; i < s.Length; i++)
        {
            Sorted &= s[i - 1].StartX <= s[i].StartX;
        }

        Sorted &= s.Length == KpuActivation.Segments;
        foreach (KpuActivationSegment segment in s)
        {
            Sorted &= segment.Shift is >= 0 and <= 63;
        }

        // Lane tables of the reachable, distinct segments: a segment whose start equals the next one's is never chosen,
        // and a constant segment (mul 0) that repeats the previous constant segment (same add) is merged into it.
        SegmentStart = new long[KpuActivation.Segments];
        SegmentMul = new long[KpuActivation.Segments];
        SegmentShift = new long[KpuActivation.Segments];
        SegmentAdd = new long[KpuActivation.Segments];
        Array.Fill(SegmentStart, long.MaxValue);
        int kept = 0;
        if (Sorted)
        {
            for (int i = 0; i < s.Length; i++)
            {
                if (i > 0 && i + 1 < s.Length && s[i].StartX == s[i + 1].StartX)
                {
                    continue;
                }

                if (i > 0 && kept > 0 && s[i].Mul == 0 && SegmentMul[kept - 1] == 0 &&
                    s[i].Add == SegmentAdd[kept - 1])
                {
                    continue;
                }

                int shift = s[i].Shift;
                SegmentStart[kept] = s[i].StartX;
                SegmentMul[kept] = s[i].Mul;
                SegmentShift[kept] = shift;
                SegmentAdd[kept] = s[i].Add;
                kept++;
            }
        }

        SegmentCount = kept;

        // Per channel: the double-precision program over the range the convolution can produce (Σx·w ≤ 255·Σw,
        // Σx ≤ 255·group·K²), when it can be proven exact.
        Programs = new KpuChannelProgram?[OutputChannels];
        for (int oc = 0; oc < OutputChannels; oc++)
        {
            Programs[oc] = KpuChannelProgram.Analyze(s, BatchNorm[oc], Constant[oc], ArgX, ShrX, 255 * sumWeights[oc], 255L * group * k2);
        }
    }

    public int Kernel { get; }

    /// <summary>
    /// True when the x term is folded into the weights (<see cref="PackedWeights"/> and <see cref="DepthwiseWeights"/>
    /// hold w + arg_x / 2^shr_x): the convolution sums are then Σx·w + x term, and no Σx or x term is formed.
    /// </summary>
    public bool FoldsXTerm { get; }

    /// <summary>
    /// True when arg_x = z·2^shr_x with every w + z a signed 16-bit value and, per output channel, 255·Σ|w + z| below
    /// 2^31 (so Σx·(w + z) never leaves int32).
    /// </summary>
    private static bool FoldableXTerm(long argX, int shrX, ReadOnlySpan<byte> weights, int outputChannels, int taps, out long z)
    {
        z = 0;
        if (shrX is < 0 or > 62 || (argX & ((1L << shrX) - 1)) != 0)
        {
            return false;
        }

        z = argX >> shrX;
        if (z is < short.MinValue or > short.MaxValue - 255)
        {
            return false;
        }

        for (int oc = 0; oc < outputChannels; oc++)
        {
            long bound = 0;
            foreach (byte b in weights.Slice(oc * taps, taps))
            {
                bound += 255 * Math.Abs(b + z);
            }

            if (bound > int.MaxValue)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A weight as the 16-bit two's-complement half of a packed word.</summary>
    private static int Half(long weight) => (int)(weight & 0xFFFF);

    /// <summary>
    /// 1, or the stride of a select pool (5, 7) folded into a 1×1 layer: the input is staged at every stride-th row and
    /// column (a 1×1 convolution is per position, so the selected outputs are the convolution of the selected inputs),
    /// and the layer runs as an unpooled one on the <see cref="Width"/>×<see cref="Height"/> output grid.
    /// </summary>
    public int Subsample { get; }

    /// <summary>Width of the input map in KPU RAM.</summary>
    public int SourceWidth { get; }

    /// <summary>Height of the input map in KPU RAM.</summary>
    public int SourceHeight { get; }

    /// <summary>Width of the convolved grid (the input's, or the output's when <see cref="Subsample"/> &gt; 1).</summary>
    public int Width { get; }

    /// <summary>Height of the convolved grid.</summary>
    public int Height { get; }

    /// <summary>Row pitch of the padded frame (W + 2·pad).</summary>
    public int Pitch { get; }

    public int PaddedHeight { get; }

    /// <summary>Linear output positions H·Pitch (the extra columns included).</summary>
    public int Positions { get; }

    /// <summary><see cref="Positions"/> rounded up to <see cref="Granule"/>.</summary>
    public int RoundedPositions { get; }

    /// <summary>Positions a row-aligned range may reach (one granule past <see cref="RoundedPositions"/>): the x-term length.</summary>
    public int FramePositions => RoundedPositions + Granule;

    /// <summary>True when every output channel has a <see cref="KpuChannelProgram"/>.</summary>
    public bool AllPrograms => Array.TrueForAll(Programs, static p => p is not null);

    /// <summary>Elements per staged plane: every position a block may read, rounded to 16.</summary>
    public int Stride { get; }

    public int InputChannels { get; }

    public int OutputChannels { get; }

    public bool Depthwise { get; }

    /// <summary>Input channel pairs (the last one half empty when the count is odd).</summary>
    public int Pairs { get; }

    public int OcBlocks { get; }

    public byte PadValue { get; }

    public long ArgX { get; }

    public int ShrX { get; }

    /// <summary>Offsets of the K² taps in the frame.</summary>
    public int[] Taps { get; }

    /// <summary>Normal convolution weights, [ocBlock][pair][tap][4] 16-bit pairs.</summary>
    public int[] PackedWeights { get; }

    /// <summary>Depthwise: offsets of the tap pairs on (x[j], x[j+1]) words.</summary>
    public int[] DepthwiseOffsets { get; }

    /// <summary>Depthwise: [channel][tap pair] weight words.</summary>
    public int[] DepthwiseWeights { get; }

    /// <summary>Depthwise: the weight words that sum the taps (Σx).</summary>
    public int[] DepthwiseOnes { get; }

    /// <summary>Per output channel: ((arg_w·Σw) &gt;&gt; shr_w) + arg_add·group.</summary>
    public long[] Constant { get; }

    public KpuBatchNorm[] BatchNorm { get; }

    public KpuActivationSegment[] Segments { get; }

    /// <summary>
    /// True when the 16 segment starts ascend and every shift is at most 63: the segment is then found by a branch-free
    /// search and the vector activation applies; otherwise the scalar one does.
    /// </summary>
    public bool Sorted { get; }

    /// <summary>Starts of the merged segments; unused entries hold <see cref="long.MaxValue"/> (never below a value).</summary>
    public long[] SegmentStart { get; }

    /// <summary>Number of merged segments (1..16; 0 when <see cref="Sorted"/> is false).</summary>
    public int SegmentCount { get; }

    public long[] SegmentMul { get; }

    public long[] SegmentShift { get; }

    public long[] SegmentAdd { get; }

    /// <summary>Per output channel: the proven double-precision batch-norm + activation, or null (int64 path).</summary>
    public KpuChannelProgram?[] Programs { get; }

    /// <summary>
    /// True when pool <paramref name="poolType"/> can be applied to the pre-norm values before batch-norm + activation,
    /// exactly: select pools (5, 7) always (only the selected positions are activated), max pools (1, 3, and 9, whose
    /// taps past the map read 0, below every output) when every channel's program is monotone (the maximum of the
    /// outputs is the output of the maximum, or of the minimum).
    /// </summary>
    public bool PoolsFirst(int poolType)
    {
        if (poolType is not (1 or 3 or 5 or 7 or 9))
        {
            return false;
        }

        foreach (KpuChannelProgram? program in Programs)
        {
            if (program is null || (poolType is 1 or 3 or 9 && program.Monotone == 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The plan of <paramref name="layer"/>, built on first use.</summary>
    public static KpuConvPlan For(KpuConvLayer layer) => Cache.GetValue(layer, static l => Create(l));

    private static KpuConvPlan Create(KpuConvLayer layer)
    {
        var plan = new KpuConvPlan(layer, 1);
        int pool = layer.Arguments.PoolType;
        return plan.Kernel == 1 && !plan.Depthwise && plan.PoolsFirst(pool) && pool is 5 or 7
            ? new KpuConvPlan(layer, KpuPool.Stride(pool))
            : plan;
    }
}
