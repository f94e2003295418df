using System.Globalization;
using K210Kpu.Hardware;

namespace K210Kpu.Analysis;

/// <summary>
/// Estimates how long a model takes on a K210 from its layer table, with the fitted timing model of
/// docs/k210-timing.md ("fit C"). Per KPU convolution layer, at KPU clock f:
/// <code>
/// t = t0 + (a·lines + b·pairs + c·weightBytes) / f  [+ outputBytes / BW_out when the layer writes to main memory]
/// </code>
/// and per CPU layer <c>t = elements × k_cpu / f_cpu</c>. The constants are in <see cref="K210Timing"/>.
/// The result is an estimate (±15 % for V3 models at 400 MHz), not a simulation of the chip.
/// </summary>
public static class LatencyEstimator
{
    /// <summary>kmodel V4 opcode of <c>kpu_upload</c> (kmodel-v4 §4).</summary>
    private const uint V4KpuUpload = 0x2001;

    /// <summary>Estimates the run time of <paramref name="model"/> at the given clocks (default: KPU and CPU at 400 MHz).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A clock is outside 26–600 MHz.</exception>
    public static LatencyEstimate Estimate(KModel model, LatencyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= LatencyOptions.Default;
        options.Validate();

        int weightBytesPerElement = WeightBytesPerElement(model);
        var layers = new List<LayerLatency>(model.Layers.Count);
        foreach (LayerDescriptor layer in model.Layers)
        {
            layers.Add(layer.Kpu is { } kpu
                ? EstimateKpuLayer(layer, kpu, weightBytesPerElement, options.KpuClockMHz, model.Format)
                : EstimateCpuLayer(layer, CpuWorkload.Elements(model, layer), options.CpuClockMHz, model.Format));
        }

        double upload = InputUploadMilliseconds(model, out string? uploadNote);
        return new LatencyEstimate(options.KpuClockMHz, options.CpuClockMHz, layers, upload, Notes(model, layers, uploadNote));
    }

    /// <summary>The per-layer estimate of one KPU convolution (internal so tests can feed synthetic layers).</summary>
    internal static LayerLatency EstimateKpuLayer(LayerDescriptor layer, KpuLayerInfo kpu, int weightBytesPerElement, double kpuClockMHz, KModelFormat format)
    {
        double hz = kpuClockMHz * 1e6;
        int w = Math.Max(1, kpu.InputWidth);
        int h = Math.Max(1, kpu.InputHeight);
        int ic = Math.Max(1, kpu.InputChannels);
        int oc = Math.Max(1, kpu.OutputChannels);
        int taps = kpu.KernelType == 1 ? 9 : 1;

        // Lines streamed: each output channel re-reads every 64-byte line of the input map; depthwise reads it once.
        long inputLines = KpuRam.RowsFor(w, h, ic);
        long lines = kpu.Depthwise ? inputLines : inputLines * oc;
        long pairs = kpu.Depthwise ? ic : (long)ic * oc;
        long weightBytes = taps * pairs * weightBytesPerElement;
        long macs = layer.Macs > 0 ? layer.Macs : taps * pairs * w * h;

        double outputDma = 0;
        if (kpu.MainMemoryOutput)
        {
            long outBytes = layer.OutputBytes > 0 ? layer.OutputBytes : (long)kpu.OutputWidth * kpu.OutputHeight * oc;
            outputDma = outBytes / K210Timing.OutputDmaBytesPerSecond * 1e3;
        }

        double fill = LineFill(w);
        var notes = new List<string>();
        if (!kpu.Depthwise && taps == 1)
        {
            notes.Add("1×1: 1/9 of the 3×3 array busy, same line cycles as a 3×3");
        }

        if (fill < 0.7)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"narrow map: {fill:P0} line fill"));
        }

        if (kpu.OutputWidth < 4 || kpu.OutputHeight < 4 || w < 4 || h < 4)
        {
            notes.Add("map smaller than 4×4: the KPU does not support it natively (nncase#533)");
        }

        bool calibrated = true;
        if (pairs > 262_144 && w <= 16)
        {
            notes.Add("≥ 512×512 channels on a narrow map: extrapolated beyond the fitting data");
            calibrated = false;
        }

        if (kpu.MainMemoryOutput && format == KModelFormat.V4)
        {
            notes.Add("main-memory output: the nncase 0.2 runtime copies it with the CPU (nncase#96), can cost several ms more");
            calibrated = false;
        }

        return new LayerLatency(layer.Index, layer.Name, layer.OpCode, ExecutionUnit.Kpu)
        {
            Macs = macs,
            FixedMilliseconds = K210Timing.LayerFixedMilliseconds,
            LineMilliseconds = K210Timing.CyclesPerLine * lines / hz * 1e3,
            PairMilliseconds = K210Timing.CyclesPerWeightPair * pairs / hz * 1e3,
            WeightMilliseconds = K210Timing.CyclesPerWeightByte * weightBytes / hz * 1e3,
            OutputDmaMilliseconds = outputDma,
            Lines = lines,
            WeightPairs = pairs,
            WeightBytes = weightBytes,
            LineFill = fill,
            Calibrated = calibrated,
            Note = string.Join("; ", notes),
        };
    }

    /// <summary>The per-layer estimate of one CPU layer doing <paramref name="elements"/> units of work.</summary>
    internal static LayerLatency EstimateCpuLayer(LayerDescriptor layer, long elements, double cpuClockMHz, KModelFormat format)
    {
        bool v4Upload = format == KModelFormat.V4 && layer.OpCode == V4KpuUpload;
        bool v3Upload = format == KModelFormat.V3 && layer.OpCode == V3LayerKinds.K210Upload;
        if (v4Upload || v3Upload)
        {
            // A copy into KPU RAM: the measured upload rate (nncase#95, nncase 0.2 runtime), not the per-element CPU cost.
            long bytes = layer.OutputBytes > 0 ? layer.OutputBytes : elements;
            return new LayerLatency(layer.Index, layer.Name, layer.OpCode, ExecutionUnit.Cpu)
            {
                Macs = layer.Macs,
                CpuElements = bytes,
                CpuMilliseconds = bytes / K210Timing.InputUploadBytesPerSecond * 1e3,
                Calibrated = v4Upload,
                Note = v4Upload
                    ? "upload into KPU RAM at the measured 0.7 GB/s (nncase#95)"
                    : "upload into KPU RAM: the measured V4 upload rate (nncase#95) is used; the SDK's V3 path is unmeasured",
            };
        }

        bool dequantizeLike = format == KModelFormat.V3 && layer.OpCode is V3LayerKinds.Dequantize or V3LayerKinds.Quantize;
        string note = dequantizeLike
            ? string.Empty
            : "uncalibrated: 18 cycles/element comes from a measured Dequantize";
        if (format == KModelFormat.V4 && layer.OpCode is 0x02 or 0x0F or 0x04 or 0x10 or 0x13 or 0x11)
        {
            note = "runs on the CPU (convolution, matmul or binary op): can cost tens of ms (nncase#97); " + note;
        }

        return new LayerLatency(layer.Index, layer.Name, layer.OpCode, ExecutionUnit.Cpu)
        {
            Macs = layer.Macs,
            CpuElements = elements,
            CpuMilliseconds = elements * K210Timing.CpuCyclesPerElement / (cpuClockMHz * 1e6) * 1e3,
            Calibrated = dequantizeLike,
            Note = note,
        };
    }

    /// <summary>Fraction of a 64-byte line a map row of <paramref name="width"/> fills (4 channels per line up to 16 wide, 2 up to 32).</summary>
    internal static double LineFill(int width)
    {
        (int groups, int rowLength, _) = KpuRam.Layout(Math.Max(1, width));
        return groups > 1 ? (double)(groups * width) / K210Timing.LineBytes : (double)width / (rowLength * K210Timing.LineBytes);
    }

    /// <summary>Weight bytes per element: 1 in 8-bit mode (V3/legacy header flags bit 0; always for V4), 2 in 16-bit mode.</summary>
    internal static int WeightBytesPerElement(KModel model)
    {
        if (model.Format == KModelFormat.V4)
        {
            return 1;
        }

        foreach (KeyValuePair<string, string> field in model.Header)
        {
            if (string.Equals(field.Key, "flags", StringComparison.OrdinalIgnoreCase) && TryParseInteger(field.Value, out long flags))
            {
                return (flags & 1) == 1 ? 1 : 2;
            }
        }

        return 1;
    }

    private static bool TryParseInteger(string text, out long value)
    {
        text = text.Trim();
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0)
        {
            text = text[..space];
        }

        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return long.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    private static double InputUploadMilliseconds(KModel model, out string? note)
    {
        note = null;
        if (model.Format == KModelFormat.V4)
        {
            // V4 models upload their input with a kpu_upload node, which is a layer of its own.
            return 0;
        }

        long bytes;
        int width;
        if (model.Layers.Count > 0 && model.Layers[0].Kpu is { } first)
        {
            bytes = (long)first.InputWidth * first.InputHeight * first.InputChannels;
            width = first.InputWidth;
        }
        else if (model.Inputs.Count > 0)
        {
            bytes = model.Inputs[0].ByteSize;
            width = 0;
        }
        else
        {
            return 0;
        }

        if (width > 0 && width % 64 != 0)
        {
            note = $"input width {width} is not a multiple of 64: the SDK copies it into KPU RAM with the CPU (unmeasured); the DMA rate is used as a floor";
        }

        return bytes / K210Timing.InputUploadBytesPerSecond * 1e3;
    }

    private static List<string> Notes(KModel model, List<LayerLatency> layers, string? uploadNote)
    {
        var notes = new List<string>
        {
            "model time excludes the camera, the LCD, the yolo2 region layer and MicroPython overhead (MaixPy's face demo measures 24 ms for a 12.7 ms model, neucrack.com/p/313)",
        };
        if (model.Format == KModelFormat.V4)
        {
            notes.Add("kmodel V4: the constants are calibrated on V3 under the SDK's kpu.c; the nncase 0.2 runtime copies main-memory outputs and runs CPU ops more slowly (nncase#95–#97), so treat this as a lower bound");
        }
        else if (model.Format == KModelFormat.Legacy)
        {
            notes.Add("legacy format: KPU layers estimated with the V3 constants");
        }

        double cpu = layers.Where(l => l.Unit == ExecutionUnit.Cpu && !l.Calibrated).Sum(l => l.Milliseconds);
        double total = layers.Sum(l => l.Milliseconds);
        if (total > 0 && cpu / total > 0.1)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{cpu / total:P0} of the estimate comes from uncalibrated CPU layers; the ±15 % error does not cover them"));
        }

        if (uploadNote is not null)
        {
            notes.Add(uploadNote);
        }

        return notes;
    }
}
