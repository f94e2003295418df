using System.Globalization;
using System.Text;
using K210Kpu.Analysis;

namespace K210Kpu.Maix;

/// <summary>
/// How a model runs in MaixPy's non-real-time mode (<see cref="Kpu.LoadFlash(int, bool, int, int)"/>): the header and
/// layer tables stay in RAM, and every layer body (the KPU weights with their registers, BN and activation tables, the
/// CPU layers' parameters) is read from SPI flash each frame, just before it is needed. With a single buffer each
/// layer is read and then run; with the double buffer consecutive layers are read in batches of up to
/// <c>batch_size</c> bytes, the next batch streaming in while the current one runs.
/// <para>
/// Times come from the K210 timing model (<see cref="LatencyEstimator"/>, docs/k210-timing.md) plus the SPI transfer:
/// a quad read moves 4 bits per SPI clock, and the clock is <see cref="SpiSourceClockHz"/> divided by
/// <c>max(2, floor(source / spi_speed))</c>, as the SDK's <c>spi_set_clk_rate</c> sets it. These are estimates (see
/// <see cref="Notes"/>); the bytes and reads are exact.
/// </para>
/// </summary>
public sealed class FlashStreamingPlan
{
    /// <summary>
    /// Clock feeding the SPI controller that reads the flash, Hz: PLL0 / 2 at MaixPy's default clocks. 403 MHz / 6 =
    /// 67,166,666 Hz is the frequency neucrack.com/p/313 reports for the demo's <c>spi_speed = 60000000</c>.
    /// </summary>
    public const double SpiSourceClockHz = 403_000_000;

    /// <summary>Highest <c>spi_speed</c> MaixPy documents for <c>load_flash</c> ("the value should &lt;= 80000000", MaixPy_scripts load_big_model/README).</summary>
    public const int MaxSpiSpeedHz = 80_000_000;

    /// <summary>Bytes moved per SPI clock by a quad (4-line) flash read.</summary>
    public const double BytesPerSpiClock = 0.5;

    private FlashStreamingPlan(
        int modelAddress,
        long modelBytes,
        long headBytes,
        long mainMemoryBytes,
        bool isDualBuffer,
        int batchSize,
        int requestedSpiSpeedHz,
        double spiClockHz,
        long bufferBytes,
        IReadOnlyList<FlashStreamedLayer> layers,
        IReadOnlyList<FlashRead> reads,
        LatencyEstimate estimate,
        IReadOnlyList<string> notes)
    {
        ModelAddress = modelAddress;
        ModelBytes = modelBytes;
        HeadBytes = headBytes;
        MainMemoryBytes = mainMemoryBytes;
        IsDualBuffer = isDualBuffer;
        BatchSize = batchSize;
        RequestedSpiSpeedHz = requestedSpiSpeedHz;
        SpiClockHz = spiClockHz;
        BufferBytes = bufferBytes;
        Layers = layers;
        Reads = reads;
        Estimate = estimate;
        Notes = notes;
    }

    /// <summary>Flash address of the model (0 for a plan made from a model that is not in flash).</summary>
    public int ModelAddress { get; }

    /// <summary>Model size in bytes.</summary>
    public long ModelBytes { get; }

    /// <summary>Bytes kept in RAM from the model: the header, output table and layer header table (everything before the first layer body).</summary>
    public long HeadBytes { get; }

    /// <summary>The model's main-memory buffer (activations and outputs), allocated as in a normal load.</summary>
    public long MainMemoryBytes { get; }

    /// <summary><c>is_dual_buf</c>: true for the double buffer.</summary>
    public bool IsDualBuffer { get; }

    /// <summary><c>batch_size</c> as given (only the double buffer uses it).</summary>
    public int BatchSize { get; }

    /// <summary><c>spi_speed</c> as given, Hz.</summary>
    public int RequestedSpiSpeedHz { get; }

    /// <summary>The SPI clock the controller really runs at, Hz (see <see cref="ActualSpiClockHz"/>).</summary>
    public double SpiClockHz { get; }

    /// <summary>Flash read rate, bytes per second (quad read: half the SPI clock).</summary>
    public double SpiBytesPerSecond => SpiClockHz * BytesPerSpiClock;

    /// <summary>RAM of the streaming buffers: the largest read (single buffer), or two of <c>max(batch_size, largest read)</c> (double buffer).</summary>
    public long BufferBytes { get; }

    /// <summary>RAM the model needs in this mode: <see cref="HeadBytes"/> + <see cref="MainMemoryBytes"/> + <see cref="BufferBytes"/> (a normal load needs the whole model plus the main buffer).</summary>
    public long ResidentBytes => HeadBytes + MainMemoryBytes + BufferBytes;

    /// <summary>Every layer, with the flash bytes it streams.</summary>
    public IReadOnlyList<FlashStreamedLayer> Layers { get; }

    /// <summary>The flash reads of one frame, in order.</summary>
    public IReadOnlyList<FlashRead> Reads { get; }

    /// <summary>Bytes read from flash per frame (all layers run).</summary>
    public long StreamedBytesPerFrame => Reads.Sum(r => (long)r.Bytes);

    /// <summary>Of <see cref="StreamedBytesPerFrame"/>, the KPU convolution weights.</summary>
    public long StreamedWeightBytesPerFrame => Layers.Sum(l => l.WeightBytes);

    /// <summary>SPI transfer time per frame, ms.</summary>
    public double SpiMillisecondsPerFrame => Reads.Sum(r => r.SpiMilliseconds);

    /// <summary>The K210 timing estimate of the model run from RAM (what <c>kpu.load</c> would give).</summary>
    public LatencyEstimate Estimate { get; }

    /// <summary>Estimated model time from RAM, ms (<see cref="LatencyEstimate.ModelMilliseconds"/>).</summary>
    public double ComputeMilliseconds => Estimate.ModelMilliseconds;

    /// <summary>Time per frame the run waits for flash, ms: all SPI time with a single buffer, the part not hidden behind computation with the double buffer.</summary>
    public double StallMilliseconds => Reads.Sum(r => r.StallMilliseconds);

    /// <summary>Estimated model time per frame in this mode, ms: <see cref="ComputeMilliseconds"/> + <see cref="StallMilliseconds"/>.</summary>
    public double FrameMilliseconds => ComputeMilliseconds + StallMilliseconds;

    /// <summary><see cref="FrameMilliseconds"/> over <see cref="ComputeMilliseconds"/>: how much slower than a normal load.</summary>
    public double Slowdown => ComputeMilliseconds > 0 ? FrameMilliseconds / ComputeMilliseconds : 1;

    /// <summary>What the estimate leaves out or assumes.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The SPI clock <c>spi_set_clk_rate</c> gives for a requested rate: <see cref="SpiSourceClockHz"/> / max(2, floor(source / requested)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive.</exception>
    public static double ActualSpiClockHz(int requestedHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestedHz);
        double divider = Math.Max(2, Math.Floor(SpiSourceClockHz / requestedHz));
        return SpiSourceClockHz / divider;
    }

    /// <summary>
    /// The streaming plan of <paramref name="model"/> for the given <c>load_flash</c> arguments (no flash needed: this
    /// is also how <c>kpu info</c> tells what the mode would cost).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="spiSpeedHz"/> ≤ 0, <paramref name="batchSize"/> &lt; 0, or a clock in <paramref name="options"/> is out of range.</exception>
    public static FlashStreamingPlan Create(KModel model, bool isDualBuffer, int batchSize, int spiSpeedHz, LatencyOptions? options = null, int modelAddress = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        double clock = ActualSpiClockHz(spiSpeedHz);
        double bytesPerMs = clock * BytesPerSpiClock / 1e3;
        LatencyEstimate estimate = LatencyEstimator.Estimate(model, options);

        long head = model.Layers.Count > 0 ? model.Layers.Min(l => l.BodyOffset) : model.Bytes.Length;

        // Group consecutive layer bodies into reads: one per layer (single buffer), or batches of up to batch_size bytes.
        var groups = new List<(int First, int Last, long Start, long End)>();
        foreach (LayerDescriptor layer in model.Layers)
        {
            long start = layer.BodyOffset & ~3L;
            long end = (layer.BodyOffset + layer.BodySize + 3) & ~3L;
            if (groups.Count > 0 && isDualBuffer && groups[^1].Last == layer.Index - 1)
            {
                (int first, _, long gStart, long gEnd) = groups[^1];
                long merged = Math.Max(gEnd, end) - Math.Min(gStart, start);
                if (merged <= batchSize)
                {
                    groups[^1] = (first, layer.Index, Math.Min(gStart, start), Math.Max(gEnd, end));
                    continue;
                }
            }

            groups.Add((layer.Index, layer.Index, start, end));
        }

        var reads = new List<FlashRead>(groups.Count);
        var layers = new List<FlashStreamedLayer>(model.Layers.Count);
        double previousCompute = 0;
        for (int k = 0; k < groups.Count; k++)
        {
            (int first, int last, long start, long end) = groups[k];
            int bytes = (int)(end - start);
            double spi = bytes / bytesPerMs;
            double compute = 0;
            for (int i = first; i <= last; i++)
            {
                LayerDescriptor l = model.Layers[i];
                LayerLatency t = estimate.Layers[i];
                compute += t.Milliseconds;
                layers.Add(new FlashStreamedLayer(i, l.Name, t.Unit, l.BodyOffset, l.BodySize, t.Unit == ExecutionUnit.Kpu ? t.WeightBytes : 0, k, l.BodySize / bytesPerMs, t.Milliseconds));
            }

            double stall = isDualBuffer && k > 0 ? Math.Max(0, spi - previousCompute) : spi;
            reads.Add(new FlashRead(k, first, last, start, bytes, spi, compute, stall));
            previousCompute = compute;
        }

        long largest = reads.Count > 0 ? reads.Max(r => (long)r.Bytes) : 0;
        long buffers = isDualBuffer ? 2 * Math.Max(batchSize, largest) : largest;

        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"SPI {clock / 1e6:0.00} MHz for spi_speed {spiSpeedHz}: {SpiSourceClockHz / 1e6:0} MHz / {SpiSourceClockHz / clock:0}; quad read, {clock * BytesPerSpiClock / 1e6:0.0} MB/s; command/address cycles per read are not counted"),
            "the layer times are the RAM estimate (±15 %); with the double buffer a read overlaps only the previous read's layers, never its own layer: single-buffer estimates match the published figures (face +11.6 ms vs +13, mbnet75 +65.9 ms vs +66), the double buffer hides less here than measured on large-layer models (mbnet75: 97.7 ms estimated vs 83 ms, BBS 1811; face: 21.4 vs 34 − 11 ms of MaixPy overhead)",
        };
        if (isDualBuffer && batchSize < largest)
        {
            notes.Add($"batch_size {batchSize} is smaller than the largest layer body ({largest} B): such a layer is read on its own, and the buffers grow to it");
        }

        if (model.Format != KModelFormat.V3)
        {
            notes.Add($"{model.FormatName}: MaixPy's load_flash runs kmodel V3 only (ERR_KMODEL_VERSION 2002 otherwise)");
        }

        return new FlashStreamingPlan(modelAddress, model.Bytes.Length, head, Math.Max(0, model.MainMemoryBytes), isDualBuffer, batchSize, spiSpeedHz, clock, buffers, layers, reads, estimate, notes);
    }

    /// <summary>A few lines: what streams, how much per frame, the SPI time and the frame estimate against a normal load.</summary>
    public string Summary()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        int streamedKpu = Layers.Count(l => l.Unit == ExecutionUnit.Kpu);
        sb.AppendLine(inv, $"load_flash: {Layers.Count} layer bodies streamed from flash{(ModelAddress > 0 ? $" at 0x{ModelAddress:X}" : string.Empty)} ({streamedKpu} KPU convs, {StreamedWeightBytesPerFrame} B of their weights), {StreamedBytesPerFrame} B per frame in {Reads.Count} reads; {HeadBytes} B of header and layer tables stay in RAM");
        sb.AppendLine(inv, $"  {(IsDualBuffer ? $"double buffer, batch_size {BatchSize}" : "single buffer")}: buffers {BufferBytes} B, resident {ResidentBytes} B (a normal load holds {ModelBytes + MainMemoryBytes} B)");
        sb.AppendLine(inv, $"  SPI {SpiClockHz / 1e6:0.00} MHz (spi_speed {RequestedSpiSpeedHz}), {SpiBytesPerSecond / 1e6:0.0} MB/s: {SpiMillisecondsPerFrame:0.00} ms of flash reads per frame, {StallMilliseconds:0.00} ms of it not hidden");
        sb.Append(inv, $"  estimated {FrameMilliseconds:0.0} ms per frame against {ComputeMilliseconds:0.0} ms from RAM (×{Slowdown:0.00})");
        return sb.ToString();
    }

    /// <summary>The summary followed by one line per layer (index, type, flash offset, bytes, weights, read, SPI and layer time) and the notes.</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(Summary()).AppendLine().AppendLine();
        sb.AppendLine(inv, $"{"index",5} {"type",-24} {"unit",4} {"flash",10} {"bytes",9} {"weights",9} {"read",4} {"spi ms",7} {"layer ms",8}");
        foreach (FlashStreamedLayer l in Layers)
        {
            sb.AppendLine(inv, $"{l.Index,5} {l.Name,-24} {l.Unit,4} {"0x" + (ModelAddress + l.ModelOffset).ToString("X", inv),10} {l.Bytes,9} {l.WeightBytes,9} {l.Batch,4} {l.SpiMilliseconds,7:0.000} {l.ComputeMilliseconds,8:0.000}");
        }

        foreach (string n in Notes)
        {
            sb.AppendLine(inv, $"note: {n}");
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{StreamedBytesPerFrame} B per frame from flash, {FrameMilliseconds:0.0} ms per frame (×{Slowdown:0.00})");
}
