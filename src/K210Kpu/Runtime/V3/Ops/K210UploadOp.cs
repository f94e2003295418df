using K210Kpu.Hardware;
using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>K210_UPLOAD (10243): dense [C][H][W] u8 in main memory → KPU RAM row layout at a line.</summary>
internal sealed class K210UploadOp : V3Op
{
    public K210UploadOp(int index, long bodyOffset, long input, int row, int width, int height, int channels)
        : base(index, V3LayerType.K210Upload, bodyOffset)
    {
        Input = input;
        Row = row;
        Width = width;
        Height = height;
        Channels = channels;
    }

    public long Input { get; }

    public int Row { get; }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public override string Name => "K210Upload";

    public override ElementType OutputType => ElementType.UInt8;

    public override MemoryKind OutputMemory => MemoryKind.Kpu;

    public override long OutputStart => (long)Row * KpuRam.RowBytes;

    public override int OutputBytes => Width * Height * Channels;

    public override long InputStart => Input;

    public override long InputElements => OutputBytes;

    public override int[]? OwnOutputShape => [1, Channels, Height, Width];

    public override string Details => $"{Channels}x{Height}x{Width} from main @{Input} to row {Row}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (Input, OutputBytes, "input");
    }

    public override void Run(V3Executor executor) =>
        executor.Ram.Upload(executor.Bytes(Input, OutputBytes), Row, Width, Height, Channels);

    public override void ReadOutput(V3Executor executor, Span<byte> destination) =>
        executor.Ram.Download(Row, Width, Height, Channels, destination);
}
