namespace K210Kpu.Hardware;

/// <summary>
/// The KPU's 2 MiB SRAM: 32768 rows of 64 bytes. Feature maps are uint8 planes in the row layout
/// (kpu-and-kmodel-v3 §1.2): 4 channels per row for W ≤ 16, 2 for W ≤ 32, else ceil(W/64) rows per image line.
/// Contents persist across layers and runs and are never cleared, as on the device.
/// </summary>
internal sealed class KpuRam
{
    /// <summary>Bytes of KPU RAM.</summary>
    public const int SizeBytes = 2 * 1024 * 1024;

    /// <summary>Bytes per row (line).</summary>
    public const int RowBytes = 64;

    /// <summary>Number of rows.</summary>
    public const int RowCount = SizeBytes / RowBytes;

    /// <summary>The memory, [row][64] bytes.</summary>
    public byte[] Data { get; } = new byte[SizeBytes];

    /// <summary>Layout of a map of width <paramref name="width"/>: channels per row, rows per image line, byte pitch between packed channels.</summary>
    public static (int Groups, int RowLength, int RowPitch) Layout(int width) =>
        width <= 16 ? (4, 1, 16) : width <= 32 ? (2, 1, 32) : (1, (width + 63) / 64, 64);

    /// <summary>Rows a W×H×C map occupies (one batch).</summary>
    public static int RowsFor(int width, int height, int channels)
    {
        (int g, int rowLen, _) = Layout(width);
        int blocks = (channels + Math.Min(channels, g) - 1) / Math.Min(channels, g);
        return rowLen * height * blocks;
    }

    /// <summary>Byte offset, relative to the map base, of element (c, y, x).</summary>
    public static int Offset(int width, int height, int c, int y, int x)
    {
        (int g, int rowLen, int pitch) = Layout(width);
        return ((c / g) * rowLen * height * RowBytes) + ((c % g) * pitch) + (y * rowLen * RowBytes) + x;
    }

    /// <summary>Bytes between image lines y and y + 1 of one channel of a map of width <paramref name="width"/>.</summary>
    public static int LineBytes(int width) => Layout(width).RowLength * RowBytes;

    /// <summary>Writes a dense NCHW uint8 map into the row layout at row <paramref name="row"/>. Bytes outside the map are untouched.</summary>
    public void Upload(ReadOnlySpan<byte> nchw, int row, int width, int height, int channels, int batches = 1)
    {
        int batchBytes = RowsFor(width, height, channels) * RowBytes;
        int plane = width * height;
        for (int n = 0; n < batches; n++)
        {
            int mapBase = (row * RowBytes) + (n * batchBytes);
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < height; y++)
                {
                    ReadOnlySpan<byte> src = nchw.Slice((((n * channels) + c) * plane) + (y * width), width);
                    src.CopyTo(Data.AsSpan(mapBase + Offset(width, height, c, y, 0), width));
                }
            }
        }
    }

    /// <summary>Reads a map from the row layout at row <paramref name="row"/> into dense NCHW uint8.</summary>
    public void Download(int row, int width, int height, int channels, Span<byte> nchw, int batches = 1)
    {
        int batchBytes = RowsFor(width, height, channels) * RowBytes;
        int plane = width * height;
        for (int n = 0; n < batches; n++)
        {
            int mapBase = (row * RowBytes) + (n * batchBytes);
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < height; y++)
                {
                    Data.AsSpan(mapBase + Offset(width, height, c, y, 0), width)
                        .CopyTo(nchw.Slice((((n * channels) + c) * plane) + (y * width), width));
                }
            }
        }
    }
}
