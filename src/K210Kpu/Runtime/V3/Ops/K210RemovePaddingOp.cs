using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>K210_REMOVE_PADDING (10242): <c>out[c] = in[c·16]</c>, pixel (0,0) of each dense 4×4 channel.</summary>
internal sealed class K210RemovePaddingOp : V3Op
{
    public K210RemovePaddingOp(int index, long bodyOffset, long input, long output, int channels)
        : base(index, V3LayerType.K210RemovePadding, bodyOffset)
    {
        Input = input;
        Output = output;
        Channels = channels;
    }

    public long Input { get; }

    public long Output { get; }

    public int Channels { get; }

    public override string Name => "K210RemovePadding";

    public override ElementType OutputType => ElementType.UInt8;

    public override long OutputStart => Output;

    public override int OutputBytes => Channels;

    public override int[]? OwnOutputShape => [1, Channels, 1, 1];

    public override string Details => $"{Channels} channels, main @{Input} -> @{Output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (Input, Channels == 0 ? 0 : (Channels * 16L) - 15, "input");
        yield return (Output, Channels, "output");
    }

    public override void Run(V3Executor executor)
    {
        byte[] m = executor.Main;
        for (int c = 0; c < Channels; c++)
        {
            m[Output + c] = m[Input + (c * 16)];
        }
    }
}
