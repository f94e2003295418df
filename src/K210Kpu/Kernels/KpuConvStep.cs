using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>
/// The data-parallel steps of one fast KPU convolution batch, as one reusable object (no allocation per layer):
/// stage the input from KPU RAM into the padded frame (Σx while at it), form the x term, then convolve + pool +
/// batch-norm + activate + write back per (row chunk × output-channel group) in row mode; otherwise convolve + activate
/// per (position chunk × output-channel group), then pool and write back per output channel.
/// </summary>
internal sealed class KpuConvStep : IKpuParallelWork
{
    /// <summary>Staged rows per staging item.</summary>
    private const int RowBand = 8;

    /// <summary>Positions per x-term item.</summary>
    private const int XTermChunk = 4096;

    private KpuConvPlan _plan = null!;
    private KpuRam _ram = null!;
    private KpuWorkspace.Scratch[] _scratch = [];
    private int[] _staged = [];
    private byte[] _stagedBytes = [];
    private int[] _tapSums = [];
    private long[] _xTerm = [];
    private byte[] _activated = [];
    private byte[] _output = [];
    private Phase _phase;
    private int _inputBase;
    private int _outputBase;
    private int _outWidth;
    private int _outHeight;
    private int _poolType;
    private int _chunk;
    private int _chunks;
    private int _ocGroupBlocks;
    private int _rowStep;
    private bool _poolsFirst;
    private bool _rowMode;
    private bool _needDense;
    private bool _stageWithConvolution;
    private bool _depthwiseFused;
    private bool _stageInItems;
    private bool _select;
    private int _poolStride;
    private int _chunkRows;

    private enum Phase
    {
        StageRows,
        XTerm,
        Convolve,
        StageDepthwise,
        ConvolveDepthwise,
        Pool,
    }

    /// <summary>Runs one batch: input map at byte <paramref name="inputBase"/> of KPU RAM, output at <paramref name="outputBase"/>, dense output into <paramref name="output"/>.</summary>
    /// <remarks>
    /// When every channel has a proven program and the pool is none or can go first (<see cref="KpuConvPlan.PoolsFirst"/>),
    /// the step runs in row mode: each item convolves whole output rows of an output-channel group, pools, activates
    /// and writes the rows to KPU RAM itself (the input is staged by then), so no separate pool step runs. The dense
    /// output is filled only when <paramref name="needDense"/> (a main-memory output).
    /// </remarks>
    public void RunBatch(KpuConvLayer layer, KpuConvPlan plan, KpuRam ram, KpuWorkspace workspace, int inputBase, int outputBase, byte[] output, bool needDense, int threads)
    {
        KpuLayerArgument a = layer.Arguments;
        _plan = plan;
        _ram = ram;
        _stageInItems = false;
        _inputBase = inputBase;
        _outputBase = outputBase;
        _output = output;
        _outWidth = a.OutputWidth;
        _outHeight = a.OutputHeight;
        _poolType = plan.Subsample > 1 ? 0 : a.PoolType; // a folded select pool leaves an unpooled layer

        // Select pools (5, 7) read only every stride-th row: the other rows are not activated.
        _rowStep = _poolType is 5 or 7 ? KpuPool.Stride(_poolType) : 1;
        KpuWorkerPool pool = KpuWorkerPool.Shared;
        threads = Math.Max(1, Math.Min(threads, pool.MaxParticipants));
        _scratch = workspace.Participants(threads);

        // Pools that can run on the pre-norm values go first: whole output rows per item, the dense output written
        // directly, nothing activated that the pool drops.
        _poolsFirst = plan.PoolsFirst(_poolType);
        _rowMode = _poolsFirst || (_poolType == 0 && plan.AllPrograms);
        _needDense = needDense;
        if (_rowMode)
        {
            _select = _poolType is 5 or 7;
            _poolStride = KpuPool.Stride(_poolType);
            int rowPositions = _select ? plan.Width : _poolStride * plan.Pitch;
            // Row chunks of at most ~1024 positions, as even as the rows allow (no short last chunk).
            int maxRows = Math.Clamp(1024 / rowPositions, 1, Math.Max(1, _outHeight));
            _chunks = (_outHeight + maxRows - 1) / maxRows;
            _chunkRows = Math.Max(1, (_outHeight + _chunks - 1) / _chunks);
            _chunks = (_outHeight + _chunkRows - 1) / _chunkRows;
            // Pool 9 (2×2, stride 1) also reads the row below each chunk.
            _chunk = RoundUp(_select ? plan.Width : (_chunkRows + (_poolType == 9 ? 1 : 0)) * rowPositions);
        }
        else
        {
            _activated = workspace.Activated(plan.OutputChannels * plan.RoundedPositions);
        }

        if (plan.Depthwise)
        {
            _stagedBytes = workspace.StagedBytes(plan.InputChannels * (plan.Stride + 1));

            // In row mode a channel can be staged by the item that convolves it when no output row can overwrite input.
            int inBytes = KpuRam.RowsFor(plan.SourceWidth, plan.SourceHeight, plan.InputChannels) * KpuRam.RowBytes;
            int outBytes = KpuRam.RowsFor(_outWidth, _outHeight, plan.OutputChannels) * KpuRam.RowBytes;
            _stageWithConvolution = _rowMode && (inputBase + inBytes <= outputBase || outputBase + outBytes <= inputBase);
            // Unpooled rows of channels with programs: convolution and activation in one pass, no intermediate arrays.
            _depthwiseFused = _rowMode && _poolType == 0 && KpuConv.DepthwiseFusedSupported;
            if (!_stageWithConvolution)
            {
                Run(pool, Phase.StageDepthwise, ChannelItems(plan.InputChannels), threads);
            }

            Run(pool, Phase.ConvolveDepthwise, ChannelItems(plan.OutputChannels), threads);
        }
        else
        {
            _staged = workspace.Staged(plan.Pairs * plan.Stride);
            _tapSums = plan.FoldsXTerm ? [] : workspace.TapSums(plan.Stride);
            _xTerm = plan.FoldsXTerm ? [] : workspace.XTerm(plan.FramePositions);

            // 1×1 rows without an x term need only their own input rows: each item stages the rows it convolves (for
            // every output channel), one step per layer instead of two, when no output row can overwrite input.
            int inBytes = KpuRam.RowsFor(plan.SourceWidth, plan.SourceHeight, plan.InputChannels) * KpuRam.RowBytes;
            int outBytes = KpuRam.RowsFor(_outWidth, _outHeight, plan.OutputChannels) * KpuRam.RowBytes;
            // Only where the map has rows enough for two chunks per thread: splitting a small map finer would make
            // every item stream all the weights for a few positions.
            _stageInItems = _rowMode && plan.Kernel == 1 && plan.FoldsXTerm && !_select && _poolType != 9 && _chunks >= 2 * threads &&
                (inputBase + inBytes <= outputBase || outputBase + outBytes <= inputBase);
            if (_stageInItems)
            {
                _ocGroupBlocks = plan.OcBlocks;
                Run(pool, Phase.Convolve, _chunks, threads);
                _ram = null!;
                return;
            }

            Run(pool, Phase.StageRows, (plan.PaddedHeight + RowBand - 1) / RowBand, threads);
            if (plan.Kernel != 1 && !plan.FoldsXTerm)
            {
                Run(pool, Phase.XTerm, (plan.FramePositions + XTermChunk - 1) / XTermChunk, threads);
            }

            // Position chunks small enough to stay in cache across the output-channel blocks; enough items for every thread.
            if (!_rowMode)
            {
                _chunk = Math.Min(plan.RoundedPositions, plan.Pairs * plan.Kernel * plan.Kernel <= 64 ? 1024 : 512);
                _chunks = (plan.RoundedPositions + _chunk - 1) / _chunk;
            }

            int groups = Math.Clamp(((4 * threads) + _chunks - 1) / _chunks, 1, plan.OcBlocks);
            _ocGroupBlocks = (plan.OcBlocks + groups - 1) / groups;
            groups = (plan.OcBlocks + _ocGroupBlocks - 1) / _ocGroupBlocks;
            Run(pool, Phase.Convolve, _chunks * groups, threads);
        }

        if (!_rowMode)
        {
            Run(pool, Phase.Pool, ChannelItems(plan.OutputChannels), threads);
        }

        _ram = null!;
    }

    public void Execute(int item, int participant)
    {
        switch (_phase)
        {
            case Phase.StageRows:
                StageRows(item);
                break;
            case Phase.XTerm:
                XTerm(item);
                break;
            case Phase.Convolve when _rowMode:
                ConvolveRows(item, _scratch[participant]);
                break;
            case Phase.Convolve:
                Convolve(item, _scratch[participant]);
                break;
            case Phase.StageDepthwise:
                for (int c = item * ChannelsPerItem, end = Math.Min(c + ChannelsPerItem, _plan.InputChannels); c < end; c++)
                {
                    StageDepthwise(c);
                }

                break;
            case Phase.ConvolveDepthwise:
                for (int c = item * ChannelsPerItem, end = Math.Min(c + ChannelsPerItem, _plan.OutputChannels); c < end; c++)
                {
                    ConvolveDepthwise(c, _scratch[participant]);
                }

                break;
            default:
                for (int c = item * ChannelsPerItem, end = Math.Min(c + ChannelsPerItem, _plan.OutputChannels); c < end; c++)
                {
                    PoolChannel(c, _scratch[participant]);
                }

                break;
        }
    }

    /// <summary>
    /// Per-channel steps take channels 4 at a time: narrow maps pack 2 or 4 channels into one 64-byte KPU RAM row, so
    /// two threads never write the same cache line, and there are fewer items to hand out.
    /// </summary>
    private const int ChannelsPerItem = 4;

    private static int ChannelItems(int channels) => (channels + ChannelsPerItem - 1) / ChannelsPerItem;

    private void Run(KpuWorkerPool pool, Phase phase, int items, int threads)
    {
        _phase = phase;
        pool.Run(this, items, threads);
    }

    /// <summary>Byte offset in KPU RAM of input row (c, y).</summary>
    private int InputRow(int c, int y)
    {
        KpuConvPlan p = _plan;
        return _inputBase + KpuRam.Offset(p.SourceWidth, p.SourceHeight, c, y, 0);
    }

    private void StageRows(int band) => StageRows(band * RowBand, Math.Min((band * RowBand) + RowBand, _plan.PaddedHeight));

    /// <summary>Stages frame rows [r0, r1) of every input-channel pair (and, unless folded, their Σx and x term).</summary>
    private void StageRows(int r0, int r1)
    {
        KpuConvPlan p = _plan;
        int pad = p.Kernel == 3 ? 1 : 0;
        byte[] ram = _ram.Data;
        int line = KpuRam.LineBytes(p.SourceWidth) * p.Subsample;
        for (int q = 0; q < p.Pairs; q++)
        {
            int c0 = 2 * q;
            bool hasHigh = c0 + 1 < p.InputChannels;
            int border = p.PadValue | (hasHigh ? p.PadValue << 16 : 0);
            int lowRow = InputRow(c0, 0);
            int highDelta = hasHigh ? InputRow(c0 + 1, 0) - lowRow : 0;
            Span<int> plane = _staged.AsSpan(q * p.Stride, p.Stride);
            for (int r = r0; r < r1; r++)
            {
                Span<int> row = plane.Slice(r * p.Pitch, p.Pitch);
                int y = r - pad;
                if ((uint)y >= (uint)p.Height)
                {
                    row.Fill(border);
                    continue;
                }

                if (pad != 0)
                {
                    row[0] = border;
                    row[^1] = border;
                }

                int at = lowRow + (y * line);
                ReadOnlySpan<byte> low = ram.AsSpan(at, p.SourceWidth);
                ReadOnlySpan<byte> high = hasHigh ? ram.AsSpan(at + highDelta, p.SourceWidth) : default;
                if (p.Subsample == 1)
                {
                    KpuConv.StagePairs(low, high, row.Slice(pad, p.Width));
                }
                else
                {
                    KpuConv.StagePairsStrided(low, high, p.Subsample, row[..p.Width]);
                }
            }

            if (r1 == p.PaddedHeight)
            {
                plane[(p.PaddedHeight * p.Pitch)..].Fill(border);
            }
        }

        if (p.FoldsXTerm)
        {
            return;
        }

        int from = r0 * p.Pitch;
        int to = r1 == p.PaddedHeight ? p.Stride : r1 * p.Pitch;
        KpuConv.SumPairs(_staged, p.Stride, p.Pairs, from, to - from, _tapSums);
        if (p.Kernel == 1)
        {
            // 1×1: the x term of a position needs only its own sum.
            int end = Math.Min(to, p.FramePositions);
            KpuConv.TapSumsToXTerm(_tapSums, p.Taps, p.ArgX, p.ShrX, from, end - from, _xTerm);
        }
    }

    private void XTerm(int item)
    {
        KpuConvPlan p = _plan;
        int from = item * XTermChunk;
        int count = Math.Min(XTermChunk, p.FramePositions - from);
        KpuConv.TapSumsToXTerm(_tapSums, p.Taps, p.ArgX, p.ShrX, from, count, _xTerm);
    }

    private void Convolve(int item, KpuWorkspace.Scratch scratch)
    {
        KpuConvPlan p = _plan;
        int chunk = item % _chunks;
        int group = item / _chunks;
        int from = chunk * _chunk;
        int count = Math.Min(_chunk, p.RoundedPositions - from);
        int firstBlock = group * _ocGroupBlocks;
        int lastBlock = Math.Min(firstBlock + _ocGroupBlocks, p.OcBlocks);
        int[] acc = scratch.Acc(KpuConvPlan.Channels * _chunk);
        ReadOnlySpan<long> xTerm = Part(_xTerm, from, count);
        for (int b = firstBlock; b < lastBlock; b++)
        {
            KpuConv.ConvolveBlock(p, _staged, b, from, count, acc, _chunk);
            for (int c = 0; c < KpuConvPlan.Channels; c++)
            {
                int oc = (b * KpuConvPlan.Channels) + c;
                if (oc >= p.OutputChannels)
                {
                    break;
                }

                Activate(oc, from, acc.AsSpan(c * _chunk, count), xTerm);
            }
        }
    }

    private static int RoundUp(int positions) => (positions + KpuConvPlan.Granule - 1) / KpuConvPlan.Granule * KpuConvPlan.Granule;

    /// <summary>
    /// Row mode: output rows [oy0, oy1) of one output-channel group. Select pools convolve only the rows they read, max
    /// pools reduce each window's pre-norm values, no pool activates the frame rows; the rows go to KPU RAM.
    /// </summary>
    private void ConvolveRows(int item, KpuWorkspace.Scratch scratch)
    {
        KpuConvPlan p = _plan;
        int chunk = item % _chunks;
        int group = item / _chunks;
        int oy0 = chunk * _chunkRows;
        int oy1 = Math.Min(oy0 + _chunkRows, _outHeight);
        int rows = oy1 - oy0;
        if (_stageInItems)
        {
            StageRows(oy0 * _poolStride, oy1 == _outHeight ? p.PaddedHeight : Math.Min(oy1 * _poolStride, p.PaddedHeight));
        }

        int firstBlock = group * _ocGroupBlocks;
        int lastBlock = Math.Min(firstBlock + _ocGroupBlocks, p.OcBlocks);
        const int GroupChannels = KpuConv.GroupBlocks * KpuConvPlan.Channels;
        int[] acc = scratch.Acc(GroupChannels * _chunk);
        int valueCount = rows * _outWidth;
        long[] values = scratch.Values(GroupChannels * valueCount);
        // Stride-2 select rows without an x term are activated as they are convolved, each channel into its own rows.
        bool selectActivated = _select && _poolStride == 2 && _xTerm.Length == 0 && _outWidth >= 16 && KpuActivation.PairWindowsVectorized;
        byte[] activated = scratch.Compact(Math.Max(_chunk, selectActivated ? GroupChannels * valueCount : valueCount));
        int s = _poolStride;
        int from = oy0 * s * p.Pitch;
        int count = RoundUp((rows + (_poolType == 9 && oy1 < p.Height ? 1 : 0)) * s * p.Pitch);
        for (int b = firstBlock; b < lastBlock; b += KpuConv.GroupBlocks)
        {
            int blocks = Math.Min(KpuConv.GroupBlocks, lastBlock - b);
            int channels = Math.Min(blocks * KpuConvPlan.Channels, p.OutputChannels - (b * KpuConvPlan.Channels));
            if (_select)
            {
                for (int oy = oy0; oy < oy1; oy++)
                {
                    int at = oy * s * p.Pitch;
                    KpuConv.ConvolveGroup(p, _staged, b, blocks, at, RoundUp(p.Width), acc, _chunk);
                    for (int c = 0; c < channels; c++)
                    {
                        KpuChannelProgram program = p.Programs[(b * KpuConvPlan.Channels) + c]!;
                        if (selectActivated)
                        {
                            KpuActivation.ApplySelect(program, acc.AsSpan(c * _chunk, _chunk), activated.AsSpan((c * valueCount) + ((oy - oy0) * _outWidth), _outWidth));
                        }
                        else
                        {
                            KpuPool.SelectValues(acc.AsSpan(c * _chunk), Part(_xTerm, at), s, program.Constant, values.AsSpan((c * valueCount) + ((oy - oy0) * _outWidth), _outWidth));
                        }
                    }
                }
            }
            else
            {
                KpuConv.ConvolveGroup(p, _staged, b, blocks, from, count, acc, _chunk);
            }

            for (int c = 0; c < channels; c++)
            {
                int oc = (b * KpuConvPlan.Channels) + c;
                Span<long> channelValues = values.AsSpan(c * valueCount, valueCount);
                if (selectActivated)
                {
                    WriteRows(oc, oy0, oy1, activated, _outWidth, c * valueCount);
                }
                else if (_select)
                {
                    FinishRows(oc, oy0, oy1, [], [], channelValues, activated);
                }
                else
                {
                    FinishRows(oc, oy0, oy1, acc.AsSpan(c * _chunk, count), Part(_xTerm, from), channelValues, activated);
                }
            }
        }
    }

    /// <summary>
    /// Pools (unless the values are already selected), activates and writes output rows [oy0, oy1) of channel
    /// <paramref name="oc"/>: <paramref name="acc"/> and <paramref name="xTerm"/> start at the frame position of row oy0·stride.
    /// </summary>
    private void FinishRows(int oc, int oy0, int oy1, ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, Span<long> values, byte[] activated)
    {
        KpuConvPlan p = _plan;
        KpuChannelProgram program = p.Programs[oc]!;
        int s = _poolStride;
        int rowPitch;
        if (_poolType == 0)
        {
            KpuActivation.ApplyProgram(program, acc, Part(xTerm, 0, acc.Length), activated.AsSpan(0, acc.Length));
            rowPitch = p.Pitch;
        }
        else if (_poolType == 1 && xTerm.IsEmpty && _outWidth >= 16 && KpuActivation.PairWindowsVectorized)
        {
            // 2×2 max pool without an x term: window maxima of the int32 sums activated at once, row by row.
            for (int oy = oy0; oy < oy1; oy++)
            {
                KpuActivation.ApplyPairWindows(program, acc[((oy - oy0) * 2 * p.Pitch)..], p.Pitch, activated.AsSpan((oy - oy0) * _outWidth, _outWidth));
            }

            rowPitch = _outWidth;
        }
        else
        {
            if (!_select)
            {
                for (int oy = oy0; oy < oy1; oy++)
                {
                    int at = (oy - oy0) * s * p.Pitch;
                    Span<long> rowValues = values.Slice((oy - oy0) * _outWidth, _outWidth);
                    if (_poolType == 9)
                    {
                        KpuPool.OverlappingWindowValues(acc[at..], Part(xTerm, at), p.Pitch, oy == p.Height - 1, program.Constant, program.Monotone < 0, rowValues);
                    }
                    else
                    {
                        KpuPool.WindowValues(acc[at..], Part(xTerm, at), p.Pitch, s, program.Constant, program.Monotone < 0, rowValues);
                    }
                }
            }

            KpuActivation.ApplyProgramValues(program, values, activated.AsSpan(0, values.Length));
            rowPitch = _outWidth;
        }

        WriteRows(oc, oy0, oy1, activated, rowPitch);
    }

    /// <summary>Writes output rows [oy0, oy1) of channel <paramref name="oc"/> from <paramref name="activated"/> (from <paramref name="offset"/>, rows <paramref name="rowPitch"/> apart) to KPU RAM and, when needed, the dense output.</summary>
    private void WriteRows(int oc, int oy0, int oy1, byte[] activated, int rowPitch, int offset = 0)
    {
        byte[] ram = _ram.Data;
        int line = KpuRam.LineBytes(_outWidth);
        int ramAt = _outputBase + KpuRam.Offset(_outWidth, _outHeight, oc, oy0, 0);
        for (int oy = oy0; oy < oy1; oy++, ramAt += line)
        {
            ReadOnlySpan<byte> row = activated.AsSpan(offset + ((oy - oy0) * rowPitch), _outWidth);
            CopyRow(row, ram.AsSpan(ramAt, _outWidth));
            if (_needDense)
            {
                CopyRow(row, OutputRow(oc, oy));
            }
        }
    }

    /// <summary>Copies a short row without a call for the common widths (4..32 bytes: two overlapping words or vectors).</summary>
    private static void CopyRow(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int n = source.Length;
        if (n is >= 4 and < 16 && destination.Length >= n)
        {
            ref byte s = ref MemoryMarshal.GetReference(source);
            ref byte d = ref MemoryMarshal.GetReference(destination);
            if (n >= 8)
            {
                ulong head = Unsafe.ReadUnaligned<ulong>(ref s);
                ulong tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s, n - 8));
                Unsafe.WriteUnaligned(ref d, head);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, n - 8), tail);
            }
            else
            {
                uint head = Unsafe.ReadUnaligned<uint>(ref s);
                uint tail = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref s, n - 4));
                Unsafe.WriteUnaligned(ref d, head);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, n - 4), tail);
            }

            return;
        }

        if (n is >= 16 and <= 32 && destination.Length >= n)
        {
            ref byte s = ref MemoryMarshal.GetReference(source);
            ref byte d = ref MemoryMarshal.GetReference(destination);
            Vector128<byte> head = Vector128.LoadUnsafe(ref s);
            Vector128<byte> tail = Vector128.LoadUnsafe(ref s, (nuint)(n - 16));
            head.StoreUnsafe(ref d);
            tail.StoreUnsafe(ref d, (nuint)(n - 16));
            return;
        }

        source.CopyTo(destination);
    }

    /// <summary>Row <paramref name="oy"/> of channel <paramref name="oc"/> in the dense output.</summary>
    private Span<byte> OutputRow(int oc, int oy) => _output.AsSpan((((oc * _outHeight) + oy) * _outWidth), _outWidth);

    /// <summary>Batch-norm + activation of channel <paramref name="oc"/> at positions [from, from + acc.Length), skipping rows no pool reads.</summary>
    private void Activate(int oc, int from, ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm)
    {
        KpuConvPlan p = _plan;
        Span<byte> destination = _activated.AsSpan((oc * p.RoundedPositions) + from, acc.Length);
        if (_rowStep == 1)
        {
            ApplyChannel(p, oc, acc, xTerm, destination);
            return;
        }

        int end = from + acc.Length;
        int firstRow = (from / p.Pitch) + _rowStep - 1;
        firstRow -= firstRow % _rowStep;
        for (int y = firstRow; y < p.Height && y * p.Pitch < end; y += _rowStep)
        {
            int r0 = y * p.Pitch;
            int lo = Math.Max(r0, from);
            int hi = Math.Min(r0 + p.Width, end);
            if (hi > lo)
            {
                ApplyChannel(p, oc, acc[(lo - from)..(hi - from)], Part(xTerm, lo - from, hi - lo), destination[(lo - from)..(hi - from)]);
            }
        }
    }

    /// <summary>Batch-norm + activation of one channel: its proven program where it has one, else the int64 path.</summary>
    private static void ApplyChannel(KpuConvPlan p, int oc, ReadOnlySpan<int> acc, ReadOnlySpan<long> xTerm, Span<byte> destination)
    {
        KpuChannelProgram? program = p.Programs[oc];
        if (program is not null && KpuActivation.ProgramVectorized)
        {
            KpuActivation.ApplyProgram(program, acc, xTerm, destination);
        }
        else
        {
            KpuActivation.Apply(p, oc, acc, xTerm, destination);
        }
    }

    private void StageDepthwise(int c)
    {
        KpuConvPlan p = _plan;
        int pad = p.Kernel == 3 ? 1 : 0;
        byte[] ram = _ram.Data;
        Span<byte> plane = _stagedBytes.AsSpan(c * (p.Stride + 1), p.Stride + 1);
        if (pad != 0)
        {
            plane[..p.Pitch].Fill(p.PadValue);
        }

        int line = KpuRam.LineBytes(p.SourceWidth);
        int at = InputRow(c, 0);
        for (int y = 0; y < p.Height; y++, at += line)
        {
            Span<byte> row = plane.Slice((y + pad) * p.Pitch, p.Pitch);
            if (pad != 0)
            {
                row[0] = p.PadValue;
                row[^1] = p.PadValue;
            }

            CopyRow(ram.AsSpan(at, p.Width), row.Slice(pad, p.Width));
        }

        plane[((p.Height + pad) * p.Pitch)..].Fill(p.PadValue);
    }

    private void ConvolveDepthwise(int c, KpuWorkspace.Scratch scratch)
    {
        KpuConvPlan p = _plan;
        const int Chunk = 1024;
        if (_stageWithConvolution)
        {
            StageDepthwise(c);
        }

        int[] words = scratch.Words(p.Stride);
        KpuConv.StageWords(_stagedBytes.AsSpan(c * (p.Stride + 1), p.Stride + 1), words.AsSpan(0, p.Stride));
        int[] acc = scratch.Acc(Math.Max(Chunk, _chunk));
        int[] sums = scratch.Sums(Math.Max(Chunk, _chunk));
        long[] xTerm = p.FoldsXTerm ? [] : scratch.XTerm(Math.Max(Chunk, _chunk));
        if (_rowMode)
        {
            ConvolveDepthwiseRows(c, words, acc, sums, xTerm, scratch);
            return;
        }

        for (int from = 0; from < p.RoundedPositions; from += Chunk)
        {
            int count = Math.Min(Chunk, p.RoundedPositions - from);
            KpuConv.ConvolveDepthwiseBlock(p, words, c, from, count, acc, sums);
            SumsToXTerm(sums, count, xTerm);
            Activate(c, from, acc.AsSpan(0, count), Part(xTerm, 0, count));
        }
    }

    /// <summary>Depthwise channel <paramref name="c"/> in row mode (see <see cref="ConvolveRows"/>).</summary>
    private void ConvolveDepthwiseRows(int c, int[] words, int[] acc, int[] sums, long[] xTerm, KpuWorkspace.Scratch scratch)
    {
        KpuConvPlan p = _plan;
        long[] values = scratch.Values(_chunkRows * _outWidth);
        byte[] activated = scratch.Compact(Math.Max(_chunk, _chunkRows * _outWidth));
        int s = _poolStride;
        for (int oy0 = 0; oy0 < _outHeight; oy0 += _chunkRows)
        {
            int oy1 = Math.Min(oy0 + _chunkRows, _outHeight);
            int from = oy0 * s * p.Pitch;
            int count = RoundUp((oy1 - oy0 + (_poolType == 9 && oy1 < p.Height ? 1 : 0)) * s * p.Pitch);
            if (_depthwiseFused)
            {
                KpuConv.DepthwiseActivate(p, words, c, p.Programs[c]!, from, count, activated);
                WriteRows(c, oy0, oy1, activated, p.Pitch);
                continue;
            }

            Span<long> rowValues = values.AsSpan(0, (oy1 - oy0) * _outWidth);
            if (_select)
            {
                KpuChannelProgram program = p.Programs[c]!;
                for (int oy = oy0; oy < oy1; oy++)
                {
                    int n = RoundUp(p.Width);
                    KpuConv.ConvolveDepthwiseBlock(p, words, c, oy * s * p.Pitch, n, acc, sums);
                    SumsToXTerm(sums, n, xTerm);
                    KpuPool.SelectValues(acc, xTerm, s, program.Constant, rowValues.Slice((oy - oy0) * _outWidth, _outWidth));
                }

                FinishRows(c, oy0, oy1, [], [], rowValues, activated);
                continue;
            }

            KpuConv.ConvolveDepthwiseBlock(p, words, c, from, count, acc, sums);
            SumsToXTerm(sums, count, xTerm);
            FinishRows(c, oy0, oy1, acc.AsSpan(0, count), Part(xTerm, 0, count), rowValues, activated);
        }
    }

    /// <summary>The depthwise x term of <paramref name="count"/> positions from their Σx (nothing when it is folded into the weights).</summary>
    private void SumsToXTerm(int[] sums, int count, long[] xTerm)
    {
        if (!_plan.FoldsXTerm)
        {
            KpuConv.SumsToXTerm(sums.AsSpan(0, count), _plan.ArgX, _plan.ShrX, xTerm.AsSpan(0, count));
        }
    }

    /// <summary>
    /// Part of an x term; an empty x term (folded into the weights, see <see cref="KpuConvPlan.FoldsXTerm"/>) stays
    /// empty, and every consumer reads it as 0.
    /// </summary>
    private static ReadOnlySpan<long> Part(ReadOnlySpan<long> xTerm, int from, int count) => xTerm.IsEmpty ? default : xTerm.Slice(from, count);

    /// <inheritdoc cref="Part(ReadOnlySpan{long}, int, int)"/>
    private static ReadOnlySpan<long> Part(ReadOnlySpan<long> xTerm, int from) => xTerm.IsEmpty ? default : xTerm[from..];

    private void PoolChannel(int oc, KpuWorkspace.Scratch scratch)
    {
        KpuConvPlan p = _plan;
        int outPlane = _outWidth * _outHeight;
        Span<byte> dense = _output.AsSpan(oc * outPlane, outPlane);
        if (!_poolsFirst)
        {
            KpuPool.RunFrame(_activated.AsSpan(oc * p.RoundedPositions, p.Positions), p.Pitch, p.Width, p.Height, _poolType, dense, _outWidth, _outHeight, scratch);
        }

        byte[] ram = _ram.Data;
        for (int y = 0; y < _outHeight; y++)
        {
            dense.Slice(y * _outWidth, _outWidth).CopyTo(ram.AsSpan(_outputBase + KpuRam.Offset(_outWidth, _outHeight, oc, y, 0), _outWidth));
        }
    }
}
