using System.Runtime.Intrinsics.X86;
using K210Kpu.Hardware;

namespace K210Kpu.Kernels;

/// <summary>
/// The fast KPU convolution (8-bit weights): the same arithmetic as the scalar specification, reorganized. Σx·w is
/// accumulated exactly in int32 (at most 1024·9·255·255 &lt; 2^31) as 16-bit pairs, Σx once per layer, everything
/// after the accumulation in int64 as the specification does. Vector kernels in <c>KpuConv.Vector512.cs</c>; the
/// scalar loops here are their portable fallbacks.
/// </summary>
internal static partial class KpuConv
{
    /// <summary>Runs the fast path: batch by batch, each batch staged completely before anything is written back.</summary>
    internal static void RunFast(KpuConvLayer layer, KpuRam ram, Span<byte> mainOutput, int threads)
    {
        KpuLayerArgument a = layer.Arguments;
        KpuConvPlan plan = KpuConvPlan.For(layer);
        KpuWorkspace workspace = KpuWorkspace.For(ram);
        int outPlaneBytes = a.OutputChannels * a.OutputWidth * a.OutputHeight;
        byte[] output = workspace.Output(outPlaneBytes);
        int inBatchRows = KpuRam.RowsFor(a.InputWidth, a.InputHeight, a.InputChannels);
        int outBatchRows = KpuRam.RowsFor(a.OutputWidth, a.OutputHeight, a.OutputChannels);
        int participants = threads > 0 ? threads : Environment.ProcessorCount;
        for (int n = 0; n < layer.Batches; n++)
        {
            workspace.Step.RunBatch(
                layer,
                plan,
                ram,
                workspace,
                (a.ImageSrcAddr + (n * inBatchRows)) * KpuRam.RowBytes,
                (a.ImageDstAddr + (n * outBatchRows)) * KpuRam.RowBytes,
                output,
                !mainOutput.IsEmpty,
                participants);
            if (!mainOutput.IsEmpty)
            {
                output.AsSpan(0, outPlaneBytes).CopyTo(mainOutput.Slice(n * outPlaneBytes, outPlaneBytes));
            }
        }
    }

    /// <summary><c>destination[x] = low[x] | high[x] &lt;&lt; 16</c> (high empty: 0).</summary>
    internal static void StagePairs(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high, Span<int> destination)
    {
        int x = 0;
        if (Avx512F.IsSupported)
        {
            x = StagePairsVector512(low, high, destination);
        }

        if (high.IsEmpty)
        {
            for (; x < destination.Length; x++)
            {
                destination[x] = low[x];
            }
        }
        else
        {
            for (; x < destination.Length; x++)
            {
                destination[x] = low[x] | (high[x] << 16);
            }
        }
    }

    /// <summary><c>destination[x] = low[s·x] | high[s·x] &lt;&lt; 16</c> (high empty: 0), s = <paramref name="step"/>.</summary>
    internal static void StagePairsStrided(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high, int step, Span<int> destination)
    {
        int x = 0;
        if (Avx512F.IsSupported && step is 2 or 4)
        {
            x = StagePairsStridedVector512(low, high, step, destination);
        }

        for (; x < destination.Length; x++)
        {
            destination[x] = low[step * x] | (high.IsEmpty ? 0 : high[step * x] << 16);
        }
    }

    /// <summary><c>sums[j] = Σ_q low(staged[q][j]) + high(staged[q][j])</c> for j in [from, from + count).</summary>
    internal static void SumPairs(int[] staged, int stride, int pairs, int from, int count, int[] sums)
    {
        int j = 0;
        if (Avx512BW.IsSupported)
        {
            j = SumPairsVector512(staged, stride, pairs, from, count, sums);
        }

        for (; j < count; j++)
        {
            int s = 0;
            for (int q = 0; q < pairs; q++)
            {
                int word = staged[(q * stride) + from + j];
                s += (word & 0xFFFF) + (int)((uint)word >> 16);
            }

            sums[from + j] = s;
        }
    }

    /// <summary><c>xTerm[i] = (argX · Σ_t tapSums[i + taps[t]]) &gt;&gt; shrX</c> for i in [from, from + count).</summary>
    internal static void TapSumsToXTerm(int[] tapSums, int[] taps, long argX, int shrX, int from, int count, long[] xTerm)
    {
        int i = 0;
        if (Avx512F.IsSupported && Avx512DQ.IsSupported)
        {
            i = TapSumsToXTermVector512(tapSums, taps, argX, shrX, from, count, xTerm);
        }

        for (; i < count; i++)
        {
            long s = 0;
            foreach (int t in taps)
            {
                s += tapSums[from + i + t];
            }

            xTerm[from + i] = unchecked(argX * s) >> shrX;
        }
    }

    /// <summary><c>xTerm[i] = (argX · sums[i]) &gt;&gt; shrX</c>.</summary>
    internal static void SumsToXTerm(ReadOnlySpan<int> sums, long argX, int shrX, Span<long> xTerm)
    {
        int i = 0;
        if (Avx512F.IsSupported && Avx512DQ.IsSupported)
        {
            i = SumsToXTermVector512(sums, argX, shrX, xTerm);
        }

        for (; i < sums.Length; i++)
        {
            xTerm[i] = unchecked(argX * sums[i]) >> shrX;
        }
    }

    /// <summary>
    /// Σx·w of output-channel block <paramref name="block"/> (4 channels) at positions [from, from + count) (a multiple
    /// of <see cref="KpuConvPlan.Block"/>) into <paramref name="acc"/>[channel · accStride + i − from].
    /// </summary>
    internal static void ConvolveBlock(KpuConvPlan plan, int[] staged, int block, int from, int count, int[] acc, int accStride)
    {
        if (Avx512BW.IsSupported)
        {
            ConvolveBlockVector512(plan, staged, block, from, count, acc, accStride);
            return;
        }

        ConvolveBlockScalar(plan, staged, block, from, count, acc, accStride);
    }

    /// <summary>The portable form of <see cref="ConvolveBlock"/>.</summary>
    private static void ConvolveBlockScalar(KpuConvPlan plan, int[] staged, int block, int from, int count, Span<int> acc, int accStride)
    {
        const int C = KpuConvPlan.Channels;
        int[] taps = plan.Taps;
        int[] weights = plan.PackedWeights;
        int weightBase = block * plan.Pairs * taps.Length * C;
        for (int c = 0; c < C; c++)
        {
            for (int i = 0; i < count; i++)
            {
                int s = 0;
                int w = weightBase + c;
                for (int q = 0; q < plan.Pairs; q++)
                {
                    int rowBase = (q * plan.Stride) + from + i;
                    foreach (int t in taps)
                    {
                        s = unchecked(s + MultiplyAddPair(staged[rowBase + t], weights[w]));
                        w += C;
                    }
                }

                acc[(c * accStride) + i] = s;
            }
        }
    }

    /// <summary>Output-channel blocks per group of <see cref="ConvolveGroup"/> (16 channels).</summary>
    internal const int GroupBlocks = 4;

    /// <summary>
    /// Σx·w of <paramref name="blocks"/> (1..4) consecutive output-channel blocks from <paramref name="firstBlock"/> at
    /// positions [from, from + count) (a multiple of <see cref="KpuConvPlan.Granule"/>) into
    /// <paramref name="acc"/>[(block − firstBlock)·4·accStride + channel·accStride + i − from]. A full group of 4 blocks
    /// runs its 64-position blocks per block and the rest 16 channels at a time.
    /// </summary>
    internal static void ConvolveGroup(KpuConvPlan plan, int[] staged, int firstBlock, int blocks, int from, int count, int[] acc, int accStride)
    {
        if (Avx512BW.IsSupported && blocks == GroupBlocks)
        {
            int main = count & ~(KpuConvPlan.Block - 1);
            if (main > 0)
            {
                for (int k = 0; k < blocks; k++)
                {
                    ConvolveBlockVector512(plan, staged, firstBlock + k, from, main, acc, accStride, k * KpuConvPlan.Channels * accStride);
                }
            }

            if (count > main)
            {
                ConvolveGroupVector512(plan, staged, firstBlock, from + main, count - main, acc, accStride, main);
            }

            return;
        }

        for (int k = 0; k < blocks; k++)
        {
            if (Avx512BW.IsSupported)
            {
                ConvolveBlockVector512(plan, staged, firstBlock + k, from, count, acc, accStride, k * KpuConvPlan.Channels * accStride);
            }
            else
            {
                ConvolveBlockScalar(plan, staged, firstBlock + k, from, count, acc.AsSpan(k * KpuConvPlan.Channels * accStride), accStride);
            }
        }
    }

    /// <summary><c>words[j] = bytes[j] | bytes[j + 1] &lt;&lt; 16</c> (the depthwise tap pairs).</summary>
    internal static void StageWords(ReadOnlySpan<byte> bytes, Span<int> words)
    {
        int j = 0;
        if (Avx512F.IsSupported)
        {
            j = StagePairsVector512(bytes[..words.Length], bytes[1..], words);
        }

        for (; j < words.Length; j++)
        {
            words[j] = bytes[j] | (bytes[j + 1] << 16);
        }
    }

    /// <summary>Depthwise channel <paramref name="channel"/>: Σx·w and Σx at positions [from, from + count).</summary>
    internal static void ConvolveDepthwiseBlock(KpuConvPlan plan, int[] words, int channel, int from, int count, int[] acc, int[] sums)
    {
        if (Avx512BW.IsSupported)
        {
            ConvolveDepthwiseBlockVector512(plan, words, channel, from, count, acc, sums);
            return;
        }

        int[] offsets = plan.DepthwiseOffsets;
        int[] ones = plan.DepthwiseOnes;
        int weightBase = channel * offsets.Length;
        for (int i = 0; i < count; i++)
        {
            int s = 0, x = 0;
            for (int t = 0; t < offsets.Length; t++)
            {
                int word = words[from + i + offsets[t]];
                s += MultiplyAddPair(word, plan.DepthwiseWeights[weightBase + t]);
                x += MultiplyAddPair(word, ones[t]);
            }

            acc[i] = s;
            sums[i] = x;
        }
    }

    /// <summary>True when <see cref="DepthwiseActivate"/> runs on this machine.</summary>
    internal static bool DepthwiseFusedSupported => Avx512BW.IsSupported && KpuActivation.ProgramVectorized;

    /// <summary>
    /// Depthwise channel <paramref name="channel"/> convolved, batch-normed and activated at positions [from, from + count)
    /// into <paramref name="destination"/> (only where <see cref="DepthwiseFusedSupported"/>; the channel has a program).
    /// </summary>
    internal static void DepthwiseActivate(KpuConvPlan plan, int[] words, int channel, KpuChannelProgram program, int from, int count, Span<byte> destination)
    {
        if (!DepthwiseFusedSupported)
        {
            throw new PlatformNotSupportedException("the fused depthwise kernel needs AVX-512");
        }

        DepthwiseActivateVector512(plan, words, channel, program, from, count, destination);
    }

    /// <summary>What <c>vpmaddwd</c> does on one lane: low·low + high·high of signed 16-bit halves.</summary>
    private static int MultiplyAddPair(int x, int w) => unchecked(((short)x * (short)w) + ((x >> 16) * (w >> 16)));
}
