using System.Buffers.Binary;
using System.Globalization;
using K210Kpu.Hardware;

namespace K210Kpu.Analysis;

/// <summary>
/// "Will it fit, will it run?": checks a model against the K210 and the firmware that will load it (docs/kpu-check.md).
/// Every limit is a named constant with its source. The check also works on a file the reader refuses: the refusal
/// becomes a "will fail" finding, and the V3 layer-type table is scanned on its own so every layer type the SDK
/// aborts on is named.
/// </summary>
public static class ModelCheck
{
    /// <summary>Exit code when every check passed.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code when the worst finding is a warning (1–3 are taken by the kpu tool: usage, bad model, runtime failure).</summary>
    public const int ExitWarning = 4;

    /// <summary>Exit code when the model will not load or not run on the chosen firmware (including a file that is not a loadable model).</summary>
    public const int ExitWillFail = 5;

    /// <summary>KPU RAM: 2 MiB at 0x40600000–0x407FFFFF (kpu-and-kmodel-v3 §1.1; laanwj/k210-sdk-stuff doc/kpu.md).</summary>
    public const long KpuRamBytes = KpuRam.SizeBytes;

    /// <summary>
    /// Free system heap users see on a standard MaixPy build: "free gc heap 494 KB, free sys heap 2052 KB", where a 3.3 MB
    /// model failed with ERR_NO_MEM 2006 (sipeed/MaixPy-v1#422; users-and-peers §2.4). Models up to this size load on common builds.
    /// </summary>
    public const long MaixPyTypicalFreeHeapBytes = 2052L * 1024;

    /// <summary>
    /// The largest model that loads under MaixPy at all, about 3.5 MB, on a minimal build with a small GC heap
    /// (Sipeed BBS topic 691 "MAIX performance and limit for AI models"; users-and-peers §2.4).
    /// </summary>
    public const long MaixPyMaxModelBytes = 3584L * 1024;

    /// <summary>About 5 MB of model fit under Maixduino (Arduino core), a rough guide for a small bare-metal program (BBS 691).</summary>
    public const long SdkComfortableModelBytes = 5L * 1024 * 1024;

    /// <summary>About 5.5 MB of model fit in a bare-metal SDK program: 6 MiB general SRAM minus code and stacks (BBS 691; users-and-peers §2.4).</summary>
    public const long SdkMaxModelBytes = 5632L * 1024;

    /// <summary>Lower end of the K210's "real-time parameter" limit, 5.5–5.9 MiB (datasheet text repeated by wiki.sipeed.com and the standalone programming guide).</summary>
    public const long RealtimeParameterLowBytes = 5632L * 1024;

    /// <summary>Upper end of the real-time parameter limit (5.9 MiB).</summary>
    public const long RealtimeParameterHighBytes = 6042L * 1024;

    /// <summary>SPI flash size of Sipeed Maix boards (16 MiB; maixpy-api §11).</summary>
    public const long DefaultFlashBytes = 16L * 1024 * 1024;

    /// <summary>
    /// MaixPy's firmware area, 0x000000–0x300000: "maixpy.bin may use 1–3 MB, do not flash your files before 0x300000"
    /// (cn.maixpy.sipeed.com course/others/flash.html; maixpy.sipeed.com get_started_fs).
    /// </summary>
    public const long MaixPyFirmwareReservedBytes = 0x300000;

    /// <summary>Start of MaixPy's SPIFFS file system: the last 3 MiB of flash, from 0xD00000 (maixpy.sipeed.com get_started_fs).</summary>
    public const long MaixPySpiffsStart = 0xD00000;

    /// <summary>A model whose CPU layers take more than this share of its estimated time gets a "slow" warning.</summary>
    public const double SlowCpuShare = 0.25;

    /// <summary>The CPU-share warning needs at least this many milliseconds of CPU layers (a tiny model's dequantize is no problem).</summary>
    public const double SlowCpuTotalMilliseconds = 4.0;

    /// <summary>A V4 CPU convolution, matmul or quantized binary gets a warning from this estimate up (smaller ones, e.g. a 10-class matmul, are harmless).</summary>
    public const double HeavyCpuOpMinimumMilliseconds = 0.1;

    /// <summary>A single CPU layer estimated above this many milliseconds gets a "slow" warning.</summary>
    public const double SlowCpuLayerMilliseconds = 5.0;

    private const string HeapSource = "sipeed/MaixPy-v1#422, #155, #180; Sipeed BBS topic 691; maixpy-api §1.4 (model copied to the heap plus main_mem_usage)";

    /// <summary>Maps a verdict to the exit code (0, 4, 5).</summary>
    public static int ExitCodeFor(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.Ok => ExitOk,
        CheckVerdict.Warning => ExitWarning,
        _ => ExitWillFail,
    };

    /// <summary>Checks a model file; a file the reader refuses becomes a "will fail" result, not an exception.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ModelCheckResult CheckFile(string path, ModelCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream fs = File.OpenRead(path);
        if (fs.Length > KModel.MaxFileBytes)
        {
            // Too big for any K210 flash: judge it from its first bytes without reading it all.
            options ??= ModelCheckOptions.Default;
            Validate(options);
            byte[] head = new byte[64];
            int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var findings = new List<CheckFinding>
            {
                new("load", CheckVerdict.WillFail, $"the file has {fs.Length} bytes, more than the {Kib(DefaultFlashBytes)} flash and far more than the K210's {Kib(RealtimeParameterHighBytes)} real-time parameter limit", "maixpy-api §11; users-and-peers §2.4"),
            };
            return new ModelCheckResult(options.Firmware, KModel.Describe(head.AsSpan(0, n)), fs.Length, null, null, findings, 0, 0);
        }

        byte[] bytes = new byte[fs.Length];
        fs.ReadExactly(bytes);
        return Check(bytes, options);
    }

    /// <summary>Checks model bytes; a file the reader refuses becomes a "will fail" result, not an exception.</summary>
    public static ModelCheckResult Check(ReadOnlyMemory<byte> bytes, ModelCheckOptions? options = null)
    {
        options ??= ModelCheckOptions.Default;
        Validate(options);
        try
        {
            return Check(KModel.Load(bytes), options);
        }
        catch (KModelException ex)
        {
            return CheckUnloadable(bytes.Span, ex, options);
        }
    }

    /// <summary>Checks a loaded model.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public static ModelCheckResult Check(KModel model, ModelCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= ModelCheckOptions.Default;
        Validate(options);

        var findings = new List<CheckFinding>();
        long fileBytes = model.Bytes.Length;
        FormatFinding(findings, model.Format, model.FormatName, options);
        if (model.Format == KModelFormat.V3)
        {
            LayerTypeFindings(findings, model.Bytes.Span, null);
        }

        KpuRamFindings(findings, model);
        long needed = fileBytes + Math.Max(0, model.MainMemoryBytes);
        long budget = HeapFinding(findings, needed, fileBytes, model.MainMemoryBytes, model.Format, options);
        ParameterFinding(findings, fileBytes, model.Format, options);
        FlashFindings(findings, fileBytes, options);

        LatencyEstimate estimate = LatencyEstimator.Estimate(model, options.Latency);
        CpuFindings(findings, model, estimate);
        SmallMapFindings(findings, model);
        findings.Add(new CheckFinding(
            "timing",
            CheckVerdict.Ok,
            string.Create(CultureInfo.InvariantCulture, $"estimated {estimate.ModelMilliseconds:0.0} ms per run (±{estimate.RelativeError:P0}; KPU {estimate.KpuClockMHz:0} MHz, CPU {estimate.CpuClockMHz:0} MHz), {estimate.TotalMacs / 1e6:0.0} M MACs{(estimate.InputUploadMilliseconds > 0 ? $"; plus {estimate.InputUploadMilliseconds:0.00} ms input upload" : string.Empty)}"),
            "docs/k210-timing.md"));

        return new ModelCheckResult(options.Firmware, model.FormatName, fileBytes, model, estimate, findings, needed, budget);
    }

    private static ModelCheckResult CheckUnloadable(ReadOnlySpan<byte> bytes, KModelException error, ModelCheckOptions options)
    {
        var findings = new List<CheckFinding>();
        string description = KModel.Describe(bytes);
        IReadOnlyList<uint>? v3Types = V3LayerScan.LayerTypes(bytes);
        KModelFormat? format = v3Types is not null ? KModelFormat.V3 : null;
        if (format is null && bytes.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == KModelSniffer.KmdlIdentifier && BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) == 4)
        {
            format = KModelFormat.V4;
        }
        else if (format is null && bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == 1)
        {
            format = KModelFormat.Legacy;
        }

        bool reported = false;
        if (format is { } f)
        {
            FormatFinding(findings, f, description, options);
        }

        if (v3Types is not null)
        {
            reported = LayerTypeFindings(findings, bytes, error as UnsupportedOperatorException);
        }

        switch (error)
        {
            case UnsupportedOperatorException u when !reported:
                findings.Add(new CheckFinding(
                    "layer-type",
                    CheckVerdict.WillFail,
                    $"layer {u.LayerIndex}: {u.OpName} (0x{u.OpCode:X}) cannot run on the K210 runtime: {u.Message}",
                    "kpu-and-kmodel-v3 §4.6, §5.1 (SDK ai_step asserts \"Layer is not supported.\")",
                    u.LayerIndex));
                break;
            case UnsupportedOperatorException:
                break;
            case KModelVersionException v when format is null:
                findings.Add(new CheckFinding("format", CheckVerdict.WillFail, VersionMessage(v, options), "maixpy-api §1.2–§1.3; kmodel-v4 §8, Part B; kendryte/nncase#252"));
                break;
            default:
                findings.Add(new CheckFinding("load", CheckVerdict.WillFail, $"the file does not load: {error.Message}", "the model reader"));
                break;
        }

        long fileBytes = bytes.Length;
        long mainMemory = format is KModelFormat.V3 or KModelFormat.V4 && bytes.Length >= 24 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes[20..]) : 0;
        long needed = fileBytes + mainMemory;
        long budget = format is null ? 0 : HeapFinding(findings, needed, fileBytes, mainMemory, format.Value, options);
        if (format is not null)
        {
            ParameterFinding(findings, fileBytes, format.Value, options);
        }

        FlashFindings(findings, fileBytes, options);
        return new ModelCheckResult(options.Firmware, description, fileBytes, null, null, findings, format is null ? 0 : needed, budget);
    }

    private static string VersionMessage(KModelVersionException v, ModelCheckOptions options)
    {
        string what = v.DetectedFormat;
        if (what.Contains("V5", StringComparison.Ordinal))
        {
            return options.Firmware == TargetFirmware.MaixPy
                ? $"{what}: MaixPy loads kmodel V3 (and V4 in special builds), never V5; kpu.load fails (ERR_KMODEL_VERSION 2002 / ERR_UNKNOWN 2015). Compile with nncase 0.1 (V3) or 0.2 (V4)"
                : $"{what}: the standalone SDK's kpu.c runs V3 and hands 'KMDL' files to the nncase 0.2 runtime, which accepts only version 4; V5 needs the nncase 1.x runtime linked into your program";
        }

        return $"not a model the K210 firmware loads: {what}";
    }

    private static void Validate(ModelCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HeapBytes is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.HeapBytes, "the heap figure must not be negative");
        }

        if (options.FlashOffset is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FlashOffset, "the flash offset must not be negative");
        }

        if (options.FirmwareBytes is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FirmwareBytes, "the firmware size must not be negative");
        }

        if (options.FlashBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FlashBytes, "the flash size must be positive");
        }

        options.Latency.Validate();
    }

    private static void FormatFinding(List<CheckFinding> findings, KModelFormat format, string name, ModelCheckOptions options)
    {
        const string Source = "maixpy-api §1.2–§1.3; kmodel-v4 §8; kpu-and-kmodel-v3 §5.1";
        bool maixPy = options.Firmware == TargetFirmware.MaixPy;
        (CheckVerdict verdict, string message) = format switch
        {
            KModelFormat.V3 => (CheckVerdict.Ok, $"{name}: loaded by MaixPy (KPU.load) and by the SDK (kpu_load_kmodel)"),
            KModelFormat.V4 when maixPy && !options.MaixPyV4Support => (CheckVerdict.WillFail,
                $"{name}: the default MaixPy build has CONFIG_MICROPYTHON_KMODEL_V4_SUPPORT=n, so KPU.load fails with ERR_KMODEL_VERSION 2002 (\"only support kmodel V3\"); use a build with V4 support (and kpu.set_outputs) or recompile with nncase 0.1"),
            KModelFormat.V4 when maixPy => (CheckVerdict.Ok, $"{name}: loads on MaixPy builds with V4 support; call kpu.set_outputs(task, idx, w, h, ch) before forward (ERR_OUTPUTS_SET 2013 otherwise)"),
            KModelFormat.V4 => (CheckVerdict.Ok, $"{name}: the SDK's kpu_load_kmodel hands 'KMDL' files to the linked nncase 0.2 runtime"),
            _ when maixPy => (CheckVerdict.WillFail, $"{name}: only MaixPy builds from before March 2019 read this format; current firmware fails with ERR_KMODEL_VERSION 2002"),
            _ => (CheckVerdict.Warning, $"{name}: the current SDK's kpu_load_kmodel rejects it (returns -1); only the SDK's old kpu_model_load_from_buffer/kpu_task API runs it"),
        };
        findings.Add(new CheckFinding("format", verdict, message, Source));
    }

    /// <summary>Adds a finding per V3 layer type the SDK cannot run and for a bad first layer; true when the reader's refusal was covered.</summary>
    private static bool LayerTypeFindings(List<CheckFinding> findings, ReadOnlySpan<byte> file, UnsupportedOperatorException? refusal)
    {
        IReadOnlyList<uint>? types = V3LayerScan.LayerTypes(file);
        if (types is null)
        {
            return false;
        }

        bool covered = false;
        int bad = 0;
        for (int i = 0; i < types.Count; i++)
        {
            if (!V3LayerKinds.RunsOnSdk(types[i]))
            {
                string name = V3LayerKinds.Name(types[i]) ?? "unknown";
                findings.Add(new CheckFinding(
                    "layer-type",
                    CheckVerdict.WillFail,
                    $"layer {i}: {name} (type {types[i]}) is not implemented by the K210 runtime; the SDK aborts with assert(\"Layer is not supported.\") when it reaches it (MaixPy's runtime is built on the same code)",
                    "kpu-and-kmodel-v3 §4.6, §4.7, §5.1",
                    i));
                covered |= refusal is not null && refusal.LayerIndex == i;
                bad++;
            }
        }

        if (types.Count > 0 && !V3LayerKinds.CanBeFirst(types[0]))
        {
            findings.Add(new CheckFinding(
                "first-layer",
                CheckVerdict.WillFail,
                $"the first layer is {V3LayerKinds.Name(types[0]) ?? "unknown"} (type {types[0]}); kpu_run_kmodel only starts a model whose first layer is K210_CONV or FULLY_CONNECTED (returns -1; MaixPy ERR_GET_CONV_LAYER 2007 / ERR_RUN_MODEL 2008)",
                "kpu-and-kmodel-v3 §4.7; maixpy-api §1.2",
                0));
        }
        else if (bad == 0)
        {
            findings.Add(new CheckFinding("layer-type", CheckVerdict.Ok, $"all {types.Count} layer types are implemented by the SDK runtime", "kpu-and-kmodel-v3 §4.6"));
        }

        return covered || (refusal is not null && bad > 0 && refusal.LayerIndex < 0);
    }

    private static void KpuRamFindings(List<CheckFinding> findings, KModel model)
    {
        const string Source = "kpu-and-kmodel-v3 §1.1, §5.2 (2 MiB = 32768 lines of 64 bytes)";
        int before = findings.Count;
        if (model.KpuRamBytes > KpuRamBytes)
        {
            findings.Add(new CheckFinding("kpu-ram", CheckVerdict.WillFail, $"the feature maps need {Kib(model.KpuRamBytes)} of KPU RAM; the K210 has {Kib(KpuRamBytes)}", Source));
        }

        foreach (LayerDescriptor layer in model.Layers)
        {
            if (layer.Kpu is not { } k)
            {
                continue;
            }

            long inEnd = (long)k.SourceRow + KpuRam.RowsFor(Math.Max(1, k.InputWidth), Math.Max(1, k.InputHeight), Math.Max(1, k.InputChannels));
            long outEnd = (long)k.DestinationRow + KpuRam.RowsFor(Math.Max(1, k.OutputWidth), Math.Max(1, k.OutputHeight), Math.Max(1, k.OutputChannels));
            long end = Math.Max(inEnd, outEnd);
            if (end > KpuRam.RowCount)
            {
                findings.Add(new CheckFinding(
                    "kpu-ram",
                    CheckVerdict.WillFail,
                    $"layer {layer.Index}: its maps end at KPU RAM line {end} (input from line {k.SourceRow}, output from line {k.DestinationRow}); the KPU has {KpuRam.RowCount} lines",
                    Source,
                    layer.Index));
            }
        }

        if (findings.Count == before)
        {
            findings.Add(new CheckFinding(
                "kpu-ram",
                CheckVerdict.Ok,
                string.Create(CultureInfo.InvariantCulture, $"feature maps use {Kib(model.KpuRamBytes)} of {Kib(KpuRamBytes)} KPU RAM ({100.0 * model.KpuRamBytes / KpuRamBytes:0}%)"),
                Source));
        }
    }

    private static long HeapFinding(List<CheckFinding> findings, long needed, long fileBytes, long mainMemory, KModelFormat format, ModelCheckOptions options)
    {
        string what = $"{Kib(needed)} (model copy {Kib(fileBytes)} + main buffer {Kib(mainMemory)})";
        bool v3 = format == KModelFormat.V3;
        if (options.HeapBytes is { } own)
        {
            bool fits = needed <= own;
            findings.Add(new CheckFinding(
                "heap",
                fits ? CheckVerdict.Ok : CheckVerdict.WillFail,
                fits
                    ? $"needs {what}; your figure is {Kib(own)} free"
                    : $"needs {what} but only {Kib(own)} is free: the load fails{(options.Firmware == TargetFirmware.MaixPy ? " with ERR_NO_MEM 2006" : string.Empty)}{(v3 && options.Firmware == TargetFirmware.MaixPy ? "; kpu.load_flash (V3) streams the weights from flash instead, 2–2.65× slower" : string.Empty)}",
                "your figure; " + HeapSource));
            return own;
        }

        if (options.Firmware == TargetFirmware.MaixPy)
        {
            (CheckVerdict verdict, string message) = needed <= MaixPyTypicalFreeHeapBytes
                ? (CheckVerdict.Ok, $"needs {what}; a standard MaixPy build has about {Kib(MaixPyTypicalFreeHeapBytes)} of free system heap")
                : needed <= MaixPyMaxModelBytes
                    ? (CheckVerdict.Warning, $"needs {what}: more than the ~{Kib(MaixPyTypicalFreeHeapBytes)} free heap of a standard MaixPy build (a 3.3 MB model failed there with ERR_NO_MEM 2006); it loads only on a minimal build (up to ~3.5 MB). Run KPU.memtest() on your board and pass the 'free sys heap' figure")
                    : (CheckVerdict.WillFail, $"needs {what}: more than the ~3.5 MB any MaixPy build leaves for a model; KPU.load fails with ERR_NO_MEM 2006{(v3 ? ". kpu.load_flash (V3 only, byte-swapped model) streams weights from flash, 2–2.65× slower" : string.Empty)}");
            findings.Add(new CheckFinding("heap", verdict, message, HeapSource));
            return MaixPyTypicalFreeHeapBytes;
        }

        (CheckVerdict v, string m) = needed <= SdkComfortableModelBytes
            ? (CheckVerdict.Ok, $"needs {what}; a bare-metal program has about {Kib(SdkMaxModelBytes)} for a model")
            : needed <= SdkMaxModelBytes
                ? (CheckVerdict.Warning, $"needs {what}: close to the ~5.5 MB a bare-metal program can give a model; little RAM is left for your code, stacks and buffers")
                : (CheckVerdict.WillFail, $"needs {what}: more than the ~5.5 MB of general SRAM a bare-metal program can give a model (6 MiB total)");
        findings.Add(new CheckFinding("heap", v, m, "Sipeed BBS topic 691; users-and-peers §2.4"));
        return SdkMaxModelBytes;
    }

    private static void ParameterFinding(List<CheckFinding> findings, long fileBytes, KModelFormat format, ModelCheckOptions options)
    {
        const string Source = "K210 datasheet via wiki.sipeed.com KPU page and the standalone programming guide (users-and-peers §2.4)";
        (CheckVerdict verdict, string message) = fileBytes > RealtimeParameterHighBytes
            ? (CheckVerdict.WillFail, $"{Kib(fileBytes)} of parameters: above the K210's real-time limit of 5.5–5.9 MiB (weights must sit in the 6 MiB general SRAM){(format == KModelFormat.V3 && options.Firmware == TargetFirmware.MaixPy ? "; only kpu.load_flash can run it, from flash" : string.Empty)}")
            : fileBytes > RealtimeParameterLowBytes
                ? (CheckVerdict.Warning, $"{Kib(fileBytes)} of parameters: inside the 5.5–5.9 MiB real-time limit band; it may not fit next to the firmware")
                : (CheckVerdict.Ok, $"{Kib(fileBytes)} of parameters: under the 5.5–5.9 MiB real-time limit");
        findings.Add(new CheckFinding("parameters", verdict, message, Source));
    }

    private static void FlashFindings(List<CheckFinding> findings, long fileBytes, ModelCheckOptions options)
    {
        if (options.FlashOffset is not { } offset)
        {
            return;
        }

        const string Source = "maixpy-api §11; maixpy.sipeed.com get_started_fs; cn.maixpy.sipeed.com course/others/flash.html";
        long end = offset + fileBytes;
        string range = $"0x{offset:X6}–0x{end:X6}";
        int before = findings.Count;
        if (end > options.FlashBytes)
        {
            findings.Add(new CheckFinding("flash", CheckVerdict.WillFail, $"the model at {range} runs past the end of the {Kib(options.FlashBytes)} flash", Source));
        }

        if (offset == 0)
        {
            findings.Add(new CheckFinding("flash", CheckVerdict.WillFail, "address 0 is where the K210 boots from (the firmware); MaixPy also rejects KPU.load(0) (\"model_addr must > 0\")", Source));
        }
        else if (options.FirmwareBytes is { } firmware && offset < firmware)
        {
            findings.Add(new CheckFinding("flash", CheckVerdict.WillFail, $"the model at {range} overlaps the {Kib(firmware)} firmware image at 0x000000–0x{firmware:X6}", Source));
        }
        else if (options.FirmwareBytes is null && options.Firmware == TargetFirmware.MaixPy && offset < MaixPyFirmwareReservedBytes)
        {
            findings.Add(new CheckFinding("flash", CheckVerdict.Warning, $"the model at {range} starts inside MaixPy's firmware area 0x000000–0x300000 (firmware images are 1–3 MB); it works only with a small firmware and a firmware update may overwrite it. Pass the firmware size to check exactly", Source));
        }

        if (options.Firmware == TargetFirmware.MaixPy && end > MaixPySpiffsStart && offset < options.FlashBytes)
        {
            findings.Add(new CheckFinding("flash", CheckVerdict.WillFail, $"the model at {range} overlaps MaixPy's SPIFFS file system (0xD00000 to the end of flash): the file system will overwrite or reformat it", Source));
        }

        if (findings.Count == before)
        {
            findings.Add(new CheckFinding("flash", CheckVerdict.Ok, $"the model at {range} fits in flash{(options.Firmware == TargetFirmware.MaixPy ? " between the firmware and the file system" : options.FirmwareBytes is null ? " (firmware size not given: overlap with your program not checked)" : " after the firmware")}", Source));
        }
    }

    private static void CpuFindings(List<CheckFinding> findings, KModel model, LatencyEstimate estimate)
    {
        const string Source = "kmodel-v4 §4; k210-timing §1.3 (nncase#96, #97), §6; users-and-peers §2.3";
        int before = findings.Count;
        foreach (LayerDescriptor layer in model.Layers)
        {
            if (model.Format == KModelFormat.V4 && layer.Kpu is null && IsV4HeavyCpuOp(layer.OpCode) && estimate.Layers[layer.Index].Milliseconds >= HeavyCpuOpMinimumMilliseconds)
            {
                findings.Add(new CheckFinding(
                    "cpu-layers",
                    CheckVerdict.Warning,
                    string.Create(CultureInfo.InvariantCulture, $"layer {layer.Index}: {layer.Name} runs on the CPU, not the KPU (estimated {estimate.Layers[layer.Index].Milliseconds:0.0} ms, uncalibrated; such layers have measured tens of ms)"),
                    Source,
                    layer.Index));
            }
            else if (layer.Kpu is null && estimate.Layers[layer.Index].Milliseconds > SlowCpuLayerMilliseconds)
            {
                findings.Add(new CheckFinding(
                    "cpu-layers",
                    CheckVerdict.Warning,
                    string.Create(CultureInfo.InvariantCulture, $"layer {layer.Index}: {layer.Name} runs on the CPU and is estimated at {estimate.Layers[layer.Index].Milliseconds:0.0} ms"),
                    Source,
                    layer.Index));
            }
        }

        double share = estimate.ModelMilliseconds > 0 ? estimate.CpuMilliseconds / estimate.ModelMilliseconds : 0;
        int cpuLayers = model.Layers.Count(l => l.Kpu is null);
        if (share > SlowCpuShare && estimate.CpuMilliseconds > SlowCpuTotalMilliseconds)
        {
            findings.Add(new CheckFinding(
                "cpu-layers",
                CheckVerdict.Warning,
                string.Create(CultureInfo.InvariantCulture, $"{Plural(cpuLayers, "CPU layer")} take {estimate.CpuMilliseconds:0.0} ms, {share:P0} of the estimated {estimate.ModelMilliseconds:0.0} ms"),
                Source));
        }
        else if (findings.Count == before)
        {
            findings.Add(new CheckFinding(
                "cpu-layers",
                CheckVerdict.Ok,
                string.Create(CultureInfo.InvariantCulture, $"{Plural(model.Layers.Count - cpuLayers, "KPU layer")}, {Plural(cpuLayers, "CPU layer")} ({estimate.CpuMilliseconds:0.00} ms, {share:P0} of the time)"),
                Source));
        }
    }

    private static void SmallMapFindings(List<CheckFinding> findings, KModel model)
    {
        foreach (LayerDescriptor layer in model.Layers)
        {
            if (layer.Kpu is { } k && (k.InputWidth < 4 || k.InputHeight < 4 || k.OutputWidth < 4 || k.OutputHeight < 4))
            {
                findings.Add(new CheckFinding(
                    "small-map",
                    CheckVerdict.Warning,
                    $"layer {layer.Index}: a {k.InputWidth}×{k.InputHeight} → {k.OutputWidth}×{k.OutputHeight} map; the KPU does not support maps under 4×4 (nncase pads them to 4×4 or runs them on the CPU)",
                    "kendryte/nncase#533; wiki.sipeed.com ai/deploy/k210",
                    layer.Index));
            }
        }
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static bool IsV4HeavyCpuOp(uint opCode) => opCode is 0x02 or 0x04 or 0x0F or 0x10 or 0x11 or 0x13 or (>= 0x1001 and <= 0x1005);

    private static string Kib(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.00} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");
}
