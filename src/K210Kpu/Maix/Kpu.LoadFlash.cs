using System.Buffers.Binary;
using K210Kpu.Analysis;

namespace K210Kpu.Maix;

/// <summary>The non-real-time mode: <c>kpu.load_flash</c>, for models larger than memory.</summary>
public static partial class Kpu
{
    /// <summary>
    /// The K210's real-time parameter limit, upper end (5.9 MiB; the datasheet gives 5.5–5.9 MiB): a model larger than
    /// this cannot sit in the 6 MiB general SRAM, so <see cref="Load(int)"/> and <see cref="Load(string)"/> refuse it
    /// with ERR_NO_MEM 2006, and only <see cref="LoadFlash(int, bool, int, int)"/> runs it.
    /// </summary>
    public const long RealTimeModelLimitBytes = ModelCheck.RealtimeParameterHighBytes;

    /// <summary>
    /// The largest model the non-real-time mode can hold: the 16 MiB flash less MaixPy's firmware region
    /// (0x000000–0x300000), 13 MiB. MaixPy's SPIFFS file system takes the last 3 MiB too, unless it is not used.
    /// </summary>
    public const long MaxFlashModelBytes = Flash.Size - ModelCheck.MaixPyFirmwareReservedBytes;

    private const string LoadFlashFormatError = "[MAIXPY]kpu: load_flash arg format error: task=kpu.load_flash(flash_addr, is_dual_buf, batch_size, spi_speed)";

    /// <summary>
    /// <c>kpu.load_flash(model_addr, is_dual_buf, batch_size, spi_speed)</c> on <see cref="Flash.Default"/>: loads the
    /// byte-swapped kmodel V3 stored at <paramref name="modelAddress"/> (see <see cref="FlashPack.ToFlashWordOrder"/>)
    /// and runs it with its layer bodies streamed from flash every frame (<see cref="KpuTask.FlashStreaming"/>). The
    /// results are those of the same model loaded with <see cref="Load(int)"/>.
    /// </summary>
    /// <param name="modelAddress">Flash address of the byte-swapped model (&gt; 0).</param>
    /// <param name="isDualBuffer"><c>is_dual_buf</c>: false reads each layer and then runs it; true reads the next batch while the current one runs.</param>
    /// <param name="batchSize"><c>batch_size</c>: bytes per read with the double buffer (MaixPy suggests 0x4000–0x10000); 0 with a single buffer.</param>
    /// <param name="spiSpeed"><c>spi_speed</c>: flash SPI clock to ask for, Hz, 1–80,000,000 (the real clock is 403 MHz / an integer divider).</param>
    /// <exception cref="MaixPyException">See <see cref="LoadFlash(Flash, int, bool, int, int)"/>.</exception>
    public static KpuTask LoadFlash(int modelAddress, bool isDualBuffer, int batchSize, int spiSpeed) =>
        LoadFlash(Flash.Default, modelAddress, isDualBuffer, batchSize, spiSpeed);

    /// <summary>
    /// <c>kpu.load_flash</c> with MaixPy's own argument check, for callers holding Python-like values: each argument
    /// must be an integer (any C# integer type; <see cref="bool"/>, floating point, strings and null are not, as
    /// MicroPython's exact <c>int</c> type test rejects them). A non-zero <paramref name="isDualBuffer"/> selects the
    /// double buffer.
    /// </summary>
    /// <exception cref="MaixPyException">
    /// "load_flash arg format error: task=kpu.load_flash(flash_addr, is_dual_buf, batch_size, spi_speed)" when an
    /// argument is not an integer; otherwise as <see cref="LoadFlash(Flash, int, bool, int, int)"/> (values outside
    /// the 32-bit range are ERR_PARAM 2001).
    /// </exception>
    public static KpuTask LoadFlash(object? modelAddress, object? isDualBuffer, object? batchSize, object? spiSpeed)
    {
        if (!TryInteger(modelAddress, out long address) || !TryInteger(isDualBuffer, out long dual)
            || !TryInteger(batchSize, out long batch) || !TryInteger(spiSpeed, out long speed))
        {
            throw MaixPyException.Value(LoadFlashFormatError);
        }

        if (address <= 0)
        {
            throw MaixPyException.Value("[MAIXPY]kpu: model_addr must > 0 ");
        }

        if (address > int.MaxValue || batch is < int.MinValue or > int.MaxValue || speed is < int.MinValue or > int.MaxValue)
        {
            throw LoadFlashError(KpuErrorCode.Param);
        }

        return LoadFlash(Flash.Default, (int)address, dual != 0, (int)batch, (int)speed);
    }

    /// <summary>
    /// <c>kpu.load_flash</c> on a given flash. The model must be stored byte-swapped per 32-bit word (what
    /// <c>model_le2be.py</c> and <see cref="FlashPack.ToFlashWordOrder"/> write); it may be larger than
    /// <see cref="RealTimeModelLimitBytes"/>, up to <see cref="MaxFlashModelBytes"/>. Only the header and layer tables,
    /// the main buffer and the streaming buffers are held (<see cref="FlashStreamingPlan.ResidentBytes"/>); each run
    /// reads the layer bodies from the flash again, so writing the flash afterwards makes the next run fail.
    /// </summary>
    /// <exception cref="MaixPyException">
    /// ValueError "model_addr must &gt; 0" for an address ≤ 0; otherwise ValueError "[MAIXPY]kpu: load_flash error:CODE, TEXT":
    /// 2001 ERR_PARAM for an address beyond the flash, a model larger than <see cref="MaxFlashModelBytes"/> (it would
    /// overlap the firmware), <paramref name="spiSpeed"/> outside 1–80,000,000,
    /// <paramref name="batchSize"/> &lt; 0, or the double buffer with <paramref name="batchSize"/> 0;
    /// 2002 ERR_KMODEL_VERSION when the flash does not hold a byte-swapped kmodel V3 there (an unswapped model, kmodel V4,
    /// the legacy format, erased flash: MaixPy's load_flash runs V3 only);
    /// 2003 ERR_KMODEL_FORMAT for a bad layer table or a model running past the end of the flash;
    /// 2006 ERR_NO_MEM when the resident part (<see cref="FlashStreamingPlan.ResidentBytes"/>) exceeds
    /// <see cref="RealTimeModelLimitBytes"/>; 2014 for an operator the runtime cannot run; 2009 when five models are loaded.
    /// </exception>
    public static KpuTask LoadFlash(Flash flash, int modelAddress, bool isDualBuffer, int batchSize, int spiSpeed)
    {
        ArgumentNullException.ThrowIfNull(flash);
        if (modelAddress <= 0)
        {
            throw MaixPyException.Value("[MAIXPY]kpu: model_addr must > 0 ");
        }

        if (modelAddress >= Flash.Size - 28 || spiSpeed <= 0 || spiSpeed > FlashStreamingPlan.MaxSpiSpeedHz || batchSize < 0 || (isDualBuffer && batchSize == 0))
        {
            throw LoadFlashError(KpuErrorCode.Param);
        }

        // The header, read and swapped back: it must say kmodel V3 for the K210 (version 3, arch 0).
        int available = Flash.Size - modelAddress;
        Span<byte> header = stackalloc byte[28];
        FlashPack.SwapWords(flash.Read(modelAddress, 28), header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != 3 || BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != 0)
        {
            throw LoadFlashError(KpuErrorCode.KModelVersion);
        }

        long layers = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        long outputs = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
        long tables = (28 + (8 * outputs) + (8 * layers) + 3) & ~3L;
        if (tables > available)
        {
            throw LoadFlashError(KpuErrorCode.KModelFormat);
        }

        long size;
        try
        {
            size = ModelSizeProbe.Probe(FlashPack.FromFlashWordOrder(flash.Read(modelAddress, (int)tables)));
        }
        catch (MaixPyException e)
        {
            throw LoadFlashError(e.Code);
        }

        if (size > MaxFlashModelBytes)
        {
            // Larger than the flash less the firmware region: on a board it would overlap the firmware.
            throw LoadFlashError(KpuErrorCode.Param);
        }

        long stored = (size + 3) & ~3L;
        if (stored > available)
        {
            throw LoadFlashError(KpuErrorCode.KModelFormat);
        }

        byte[] bytes = FlashPack.FromFlashWordOrder(flash.Read(modelAddress, (int)stored));
        Array.Resize(ref bytes, (int)size);
        KModel model;
        try
        {
            model = Parse(bytes);
        }
        catch (MaixPyException e)
        {
            throw new MaixPyException("ValueError", LoadFlashText(e.Code), e.Code, null, e.InnerException);
        }

        if (model.Format != KModelFormat.V3)
        {
            throw LoadFlashError(KpuErrorCode.KModelVersion);
        }

        FlashStreamingPlan plan = FlashStreamingPlan.Create(model, isDualBuffer, batchSize, spiSpeed, null, modelAddress);
        if (plan.ResidentBytes > RealTimeModelLimitBytes)
        {
            throw LoadFlashError(KpuErrorCode.NoMemory);
        }

        try
        {
            return KpuTask.CreateStreamed(model, modelAddress, bytes.Length, flash, plan);
        }
        catch (MaixPyException e)
        {
            throw LoadFlashError(e.Code);
        }
    }

    /// <summary>True when a model of <paramref name="modelBytes"/> bytes is above <see cref="RealTimeModelLimitBytes"/> and runs only with <see cref="LoadFlash(int, bool, int, int)"/>.</summary>
    public static bool NeedsLoadFlash(long modelBytes) => modelBytes > RealTimeModelLimitBytes;

    // kpu.load: a model above the real-time limit does not fit in RAM (the firmware's malloc of the model fails).
    private static void ThrowIfAboveRealTimeLimit(long modelBytes)
    {
        if (NeedsLoadFlash(modelBytes))
        {
            throw MaixPyException.Load(
                KpuErrorCode.NoMemory,
                new KpuRuntimeException($"the model is {modelBytes} bytes, above the K210's real-time limit of {RealTimeModelLimitBytes} bytes (5.9 MiB): only kpu.load_flash runs it, from a byte-swapped copy in flash"));
        }
    }

    private static MaixPyException LoadFlashError(KpuErrorCode code) => new("ValueError", LoadFlashText(code), code);

    private static string LoadFlashText(KpuErrorCode code) => $"[MAIXPY]kpu: load_flash error:{(int)code}, {MaixPyException.Describe(code)}";

    private static bool TryInteger(object? value, out long result)
    {
        switch (value)
        {
            case int i: result = i; return true;
            case long l: result = l; return true;
            case short s: result = s; return true;
            case sbyte sb: result = sb; return true;
            case byte b: result = b; return true;
            case ushort us: result = us; return true;
            case uint ui: result = ui; return true;
            case ulong ul when ul <= long.MaxValue: result = (long)ul; return true;
            case ulong: result = long.MaxValue; return true;
            default: result = 0; return false;
        }
    }
}
