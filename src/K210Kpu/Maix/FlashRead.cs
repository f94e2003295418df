namespace K210Kpu.Maix;

/// <summary>
/// One read from flash while a <see cref="Kpu.LoadFlash(int, bool, int, int)"/> model runs: one layer's body with a
/// single buffer, or a batch of consecutive layer bodies of up to <c>batch_size</c> bytes with the double buffer.
/// </summary>
public sealed class FlashRead
{
    internal FlashRead(int index, int firstLayer, int lastLayer, long modelOffset, int bytes, double spiMilliseconds, double computeMilliseconds, double stallMilliseconds)
    {
        Index = index;
        FirstLayer = firstLayer;
        LastLayer = lastLayer;
        ModelOffset = modelOffset;
        Bytes = bytes;
        SpiMilliseconds = spiMilliseconds;
        ComputeMilliseconds = computeMilliseconds;
        StallMilliseconds = stallMilliseconds;
    }

    /// <summary>Read index, in run order.</summary>
    public int Index { get; }

    /// <summary>First layer whose body this read brings in.</summary>
    public int FirstLayer { get; }

    /// <summary>Last layer whose body this read brings in.</summary>
    public int LastLayer { get; }

    /// <summary>Offset of the first byte read from the model's start (a multiple of 4: flash is read in 32-bit words).</summary>
    public long ModelOffset { get; }

    /// <summary>Bytes read (whole 32-bit words).</summary>
    public int Bytes { get; }

    /// <summary>SPI time of the read, ms.</summary>
    public double SpiMilliseconds { get; }

    /// <summary>Estimated time of the layers this read serves, ms.</summary>
    public double ComputeMilliseconds { get; }

    /// <summary>
    /// Time the run waits for this read, ms: all of <see cref="SpiMilliseconds"/> with a single buffer (read, then run);
    /// with the double buffer only what is not hidden behind the previous read's layers (the first read is never hidden).
    /// </summary>
    public double StallMilliseconds { get; }

    /// <inheritdoc />
    public override string ToString() => $"read {Index}: layers {FirstLayer}-{LastLayer}, {Bytes} B";
}
