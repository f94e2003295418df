using K210Kpu.Hardware;
using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>
/// K210_ADD_PADDING (10241): writes u8 channel values as pixel (0,0) of a 4×4 map in KPU RAM (W ≤ 16 layout:
/// byte <c>row·64 + (c/4)·256 + (c%4)·16</c>); the other 15 pixels are not touched. Its dump is the C written bytes.
/// </summary>
internal sealed class K210AddPaddingOp : V3Op
{
    public K210AddPaddingOp(int index, long bodyOffset, long input, int row, int channels)
        : base(index, V3LayerType.K210AddPadding, bodyOffset)
    {
        Input = input;
        Row = row;
        Channels = channels;
    }

    public long Input { get; }

    public int Row { get; }

    public int Channels { get; }

    /// <summary>KPU RAM rows the padded 4×4 map occupies.</summary>
    public int Rows => (Channels + 3) / 4 * 4;

    public override string Name => "K210AddPadding";

    public override ElementType OutputType => ElementType.UInt8;

    public override MemoryKind OutputMemory => MemoryKind.Kpu;

    public override long OutputStart => (long)Row * KpuRam.RowBytes;

    public override int OutputBytes => Channels;

    public override long InputStart => Input;

    public override long InputElements => Channels;

    public override int[]? OwnOutputShape => [1, Channels, 1, 1];

    public override string Details => $"{Channels} channels from main @{Input} to row {Row} (4x4 map)";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (Input, Channels, "input");
    }

    private static int Address(int row, int c) => (row * KpuRam.RowBytes) + (c / 4 * 256) + (c % 4 * 16);

    public override void Run(V3Executor executor)
    {
        Span<byte> src = executor.Bytes(Input, Channels);
        byte[] ram = executor.Ram.Data;
        for (int c = 0; c < Channels; c++)
        {
            ram[Address(Row, c)] = src[c];
        }
    }

    public override void ReadOutput(V3Executor executor, Span<byte> destination)
    {
        byte[] ram = executor.Ram.Data;
        for (int c = 0; c < Channels; c++)
        {
            destination[c] = ram[Address(Row, c)];
        }
    }
}
