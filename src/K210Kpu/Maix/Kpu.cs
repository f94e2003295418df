namespace K210Kpu.Maix;

/// <summary>
/// MaixPy's <c>KPU</c> module on the desktop: PascalCase twins of <c>kpu.load</c>, <c>init_yolo2</c>,
/// <c>run_yolo2</c>, <c>forward</c>, <c>fmap</c>, <c>netinfo</c>, <c>memtest</c>, <c>deinit</c> and the later
/// firmware's <c>set_layers</c>, <c>get_output</c>, <c>set_outputs</c>. Errors are <see cref="MaixPyException"/>s
/// with MaixPy's texts and codes; <c>docs/maixpy-compat.md</c> lists every difference.
/// </summary>
public static partial class Kpu
{
    private static TextWriter? s_output;

    /// <summary>Where the module prints what MaixPy prints to its console (<c>memtest</c>, <c>set_layers</c>/<c>set_outputs</c> complaints). Default: <see cref="Console.Out"/>.</summary>
    public static TextWriter Output
    {
        get => s_output ?? Console.Out;
        set => s_output = value;
    }

    /// <summary>
    /// <c>kpu.load(path)</c>: loads a model file. The name must contain ".kmodel", ".smodel" or ".emodel" (anywhere,
    /// case-sensitive, as MaixPy checks it).
    /// </summary>
    /// <exception cref="MaixPyException">
    /// "model format don't match, only supply .kmodel"; "load error:2005" when unreadable; 2004 for encrypted models;
    /// 2002 for a file that is not kmodel V3/V4 (including the legacy pre-V3 format, which this firmware rejects);
    /// 2003 for a malformed file; 2006 for a model above <see cref="RealTimeModelLimitBytes"/> (run it with
    /// <see cref="LoadFlash(int, bool, int, int)"/>); 2014 for an operator the runtime cannot run; 2009 when five models are loaded.
    /// The model exception is the inner exception.
    /// </exception>
    public static KpuTask Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool plain = path.Contains(".kmodel", StringComparison.Ordinal);
        if (!plain && !path.Contains(".smodel", StringComparison.Ordinal) && !path.Contains(".emodel", StringComparison.Ordinal))
        {
            throw MaixPyException.Value("[MAIXPY]kpu: model format don't match, only supply .kmodel ");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw MaixPyException.Load(KpuErrorCode.ReadFile, e);
        }

        ThrowIfAboveRealTimeLimit(bytes.Length);
        if (!plain)
        {
            throw MaixPyException.Load(KpuErrorCode.Decrypt);
        }

        return KpuTask.Create(Parse(bytes), null, path, bytes.Length);
    }

    /// <summary><c>kpu.load(offset)</c>: loads the model stored at <paramref name="flashOffset"/> in <see cref="Flash.Default"/>.</summary>
    /// <exception cref="MaixPyException">See <see cref="Load(Flash, int)"/>.</exception>
    public static KpuTask Load(int flashOffset) => Load(Flash.Default, flashOffset);

    /// <summary>
    /// <c>kpu.load(offset)</c> on a given flash: reads the header at the offset, finds the model size from it as
    /// MaixPy does, and loads that many bytes.
    /// </summary>
    /// <exception cref="MaixPyException">
    /// "model_addr must > 0" for offsets ≤ 0; 2001 for an offset beyond the flash; 2002 when no kmodel V3/V4 header is
    /// there (an erased flash reads 0xFF); 2003 for a bad layer table or a model running past the end of the flash;
    /// others as <see cref="Load(string)"/>.
    /// </exception>
    public static KpuTask Load(Flash flash, int flashOffset)
    {
        ArgumentNullException.ThrowIfNull(flash);
        if (flashOffset <= 0)
        {
            throw MaixPyException.Value("[MAIXPY]kpu: model_addr must > 0 ");
        }

        if (flashOffset >= Flash.Size)
        {
            throw MaixPyException.Load(KpuErrorCode.Param);
        }

        ReadOnlySpan<byte> rest = flash.Contents[flashOffset..];
        long size = ModelSizeProbe.Probe(rest);
        if (size > rest.Length)
        {
            throw MaixPyException.Load(KpuErrorCode.KModelFormat);
        }

        ThrowIfAboveRealTimeLimit(size);
        byte[] bytes = rest[..(int)size].ToArray();
        return KpuTask.Create(Parse(bytes), flashOffset, null, bytes.Length);
    }

    /// <summary><c>kpu.deinit(task)</c>: frees the task (same as disposing it). Returns true, also for a task freed before.</summary>
    public static bool Deinit(KpuTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.Dispose();
        return true;
    }

    /// <summary>
    /// <c>KPU.memtest()</c>: prints MaixPy's two lines with this process's figures: the managed heap's free room
    /// (available to the GC minus what it holds) and the system memory still available, both in KB.
    /// </summary>
    public static void MemTest()
    {
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        long gcFree = Math.Max(0, info.TotalAvailableMemoryBytes - GC.GetTotalMemory(forceFullCollection: false));
        long sysFree = Math.Max(0, info.TotalAvailableMemoryBytes - info.MemoryLoadBytes);
        Output.Write($"###free gc heap memory : {gcFree / 1024} KB\r\n");
        Output.Write($"###free sys heap memory: {sysFree / 1024} KB\r\n");
    }

    private static KModel Parse(byte[] bytes)
    {
        KModel model;
        try
        {
            model = KModel.Load(bytes);
        }
        catch (KModelVersionException e)
        {
            throw MaixPyException.Load(KpuErrorCode.KModelVersion, e);
        }
        catch (UnsupportedOperatorException e)
        {
            throw MaixPyException.Load(KpuErrorCode.NotImplemented, e);
        }
        catch (KModelException e)
        {
            throw MaixPyException.Load(KpuErrorCode.KModelFormat, e);
        }

        if (model.Format == KModelFormat.Legacy)
        {
            throw MaixPyException.Load(KpuErrorCode.KModelVersion);
        }

        return model;
    }
}
