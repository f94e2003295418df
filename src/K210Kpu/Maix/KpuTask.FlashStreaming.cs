namespace K210Kpu.Maix;

/// <summary>The non-real-time mode of a task made by <see cref="Kpu.LoadFlash(int, bool, int, int)"/>.</summary>
public sealed partial class KpuTask
{
    private Flash? _flash;
    private FlashStreamingPlan? _flashPlan;
    private byte[]? _streamBuffer;

    /// <summary>
    /// How the model streams from flash when the task was made by <see cref="Kpu.LoadFlash(int, bool, int, int)"/>:
    /// the layers read each frame, bytes per frame, buffers, SPI time and the frame estimate; null for a normal load.
    /// </summary>
    public FlashStreamingPlan? FlashStreaming => _flashPlan;

    /// <summary>Frames (runs) that streamed their layers from flash so far.</summary>
    public long FlashFramesStreamed { get; private set; }

    /// <summary>Bytes read from flash by all runs so far.</summary>
    public long FlashBytesStreamed { get; private set; }

    /// <summary>Bytes read from flash by the last run (fewer than <see cref="FlashStreamingPlan.StreamedBytesPerFrame"/> after <see cref="Kpu.SetLayers"/> shortened it).</summary>
    public long LastFrameFlashBytes { get; private set; }

    internal static KpuTask CreateStreamed(KModel model, int address, int size, Flash flash, FlashStreamingPlan plan)
    {
        KpuTask task = Create(model, address, null, size);
        task._flash = flash;
        task._flashPlan = plan;
        return task;
    }

    /// <summary>
    /// Streams the bodies of the first <paramref name="layerCount"/> layers from flash, read by read as the plan lays
    /// them out, undoing the 32-bit byte swap, and checks them against the model being run. Does nothing for a
    /// normal load.
    /// </summary>
    /// <exception cref="MaixPyException">
    /// OSError "ERR_RUN_MODEL: maybe model dirty" (2008) when the flash no longer holds the model (it was written after
    /// <c>load_flash</c>; the board would run on whatever the flash now holds).
    /// </exception>
    internal void StreamFromFlash(int layerCount)
    {
        ThrowIfDisposed();
        if (_flashPlan is null || _flash is null)
        {
            return;
        }

        ReadOnlySpan<byte> model = _model.Bytes.Span;
        long bytes = 0;
        foreach (FlashRead read in _flashPlan.Reads)
        {
            if (read.FirstLayer >= layerCount)
            {
                break;
            }

            _streamBuffer ??= new byte[_flashPlan.Reads.Max(r => r.Bytes)];
            Span<byte> buffer = _streamBuffer.AsSpan(0, read.Bytes);
            FlashPack.SwapWords(_flash.Read(_flashPlan.ModelAddress + (int)read.ModelOffset, read.Bytes), buffer);
            int inModel = (int)Math.Min(read.Bytes, model.Length - read.ModelOffset);
            if (!buffer[..inModel].SequenceEqual(model.Slice((int)read.ModelOffset, inModel)))
            {
                throw MaixPyException.OS(
                    MaixPyException.Describe(KpuErrorCode.RunModel),
                    KpuErrorCode.RunModel,
                    new KpuRuntimeException($"the flash at 0x{_flashPlan.ModelAddress + read.ModelOffset:X} (layers {read.FirstLayer}-{read.LastLayer}) no longer holds the model loaded by load_flash"));
            }

            bytes += read.Bytes;
        }

        FlashFramesStreamed++;
        FlashBytesStreamed += bytes;
        LastFrameFlashBytes = bytes;
    }
}
