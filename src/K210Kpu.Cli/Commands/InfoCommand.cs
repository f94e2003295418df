using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using K210Kpu.Maix;

namespace K210Kpu.Cli.Commands;

/// <summary><c>kpu info MODEL [--json]</c>: format, header, layer table (MaixPy netinfo fields), inputs, outputs, memory.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "kmodel file (V3, V4 or legacy)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var cmd = new Command("info", "Show a model's format, header, layers, inputs, outputs and memory use") { model, json };
        cmd.SetAction(p => CommandRunner.Run(p, () =>
        {
            KModel m = CommandRunner.LoadModel(p.GetValue(model)!);
            Console.Out.Write(p.GetValue(json) ? ToJson(m).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n" : ToText(m));
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    /// <summary>The netinfo fields of a layer, as MaixPy computes them (maixpy-api §7): zeros and the body size for non-KPU layers.</summary>
    internal static (int Wi, int Hi, int Wo, int Ho, int Chi, int Cho, int Dw, int KernelType, int PoolType, int ParaSize) NetInfo(LayerDescriptor l) =>
        l.Kpu is { } k
            ? (k.InputWidth, k.InputHeight, k.OutputWidth, k.OutputHeight, k.InputChannels, k.OutputChannels, k.Depthwise ? 1 : 0, k.KernelType, k.PoolType, k.ParaSize)
            : (0, 0, 0, 0, 0, 0, 0, 0, 0, l.BodySize);

    private static string Shape(IReadOnlyList<int>? s) => s is null ? "?" : string.Join("x", s);

    internal static string ToText(KModel m)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"format      {m.FormatName}, version {m.Version}, {m.Bytes.Length} bytes");
        foreach (KeyValuePair<string, string> kv in m.Header)
        {
            sb.AppendLine(inv, $"  {kv.Key,-22} {kv.Value}");
        }

        foreach (TensorInfo t in m.Inputs)
        {
            sb.AppendLine(inv, $"input {t.Index}     {t.ElementType} [{Shape(t.Shape)}] {t.ByteSize} B in {t.Memory}");
        }

        foreach (TensorInfo t in m.Outputs)
        {
            sb.AppendLine(inv, $"output {t.Index}    {t.ElementType} [{Shape(t.Shape)}] {t.ByteSize} B in {t.Memory} @{t.Start}");
        }

        sb.AppendLine(inv, $"KPU RAM     {m.KpuRamBytes} of {2 * 1024 * 1024} bytes ({100.0 * m.KpuRamBytes / (2 * 1024 * 1024):0.0}%)");
        sb.AppendLine(inv, $"main memory {m.MainMemoryBytes} bytes");
        sb.AppendLine(inv, $"MACs        {m.TotalMacs} ({m.TotalMacs / 1e6:0.0} M) per run");
        sb.AppendLine(inv, $"load mode   {LoadMode(m)}");
        sb.AppendLine();
        sb.AppendLine(inv, $"{"index",5} {"type",-24} {"opcode",7} {"wi",4} {"hi",4} {"wo",4} {"ho",4} {"chi",5} {"cho",5} {"dw",2} {"kernel",6} {"pool",4} {"para_size",9} {"output",-16} {"MACs",11}  details");
        foreach (LayerDescriptor l in m.Layers)
        {
            var n = NetInfo(l);
            sb.AppendLine(inv, $"{l.Index,5} {l.Name,-24} {l.OpCode,7} {n.Wi,4} {n.Hi,4} {n.Wo,4} {n.Ho,4} {n.Chi,5} {n.Cho,5} {n.Dw,2} {n.KernelType,6} {n.PoolType,4} {n.ParaSize,9} {Shape(l.OutputShape),-16} {l.Macs,11}  {l.Details}");
        }

        return sb.ToString();
    }

    /// <summary>Whether the model runs in real time (<c>kpu.load</c>) or only in the non-real-time mode (<c>kpu.load_flash</c>), in one line.</summary>
    internal static string LoadMode(KModel m)
    {
        var inv = CultureInfo.InvariantCulture;
        long size = m.Bytes.Length;
        if (!Kpu.NeedsLoadFlash(size))
        {
            return string.Create(inv, $"real time: kpu.load holds all {size} B in RAM (under the {Kpu.RealTimeModelLimitBytes} B real-time limit); {(m.Format == KModelFormat.V3 ? "kpu.load_flash also runs it from a byte-swapped copy" : "kpu.load_flash does not (kmodel V3 only)")}");
        }

        if (m.Format != KModelFormat.V3)
        {
            return string.Create(inv, $"too large for real time ({size} B > {Kpu.RealTimeModelLimitBytes} B) and kpu.load_flash runs kmodel V3 only: MaixPy cannot run it");
        }

        FlashStreamingPlan plan = FlashStreamingPlan.Create(m, true, RunCommand.DefaultBatchSize, RunCommand.DefaultSpiSpeed);
        return string.Create(inv, $"non-real time only: {size} B is above the {Kpu.RealTimeModelLimitBytes} B real-time limit; kpu.load refuses it (2006), kpu.load_flash streams {plan.StreamedBytesPerFrame} B per frame from flash (about {plan.FrameMilliseconds:0} ms per frame with the double buffer at spi_speed {RunCommand.DefaultSpiSpeed}); pack it with kpu flash-pack --byteswap");
    }

    internal static JsonObject ToJson(KModel m)
    {
        var header = new JsonObject();
        foreach (KeyValuePair<string, string> kv in m.Header)
        {
            header[kv.Key] = kv.Value;
        }

        JsonArray Tensors(IReadOnlyList<TensorInfo> ts) => new(ts.Select(t => (JsonNode)new JsonObject
        {
            ["index"] = t.Index,
            ["dtype"] = t.ElementType == ElementType.Float32 ? "float32" : "uint8",
            ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
            ["bytes"] = t.ByteSize,
            ["memory"] = t.Memory.ToString().ToLowerInvariant(),
            ["start"] = t.Start,
        }).ToArray());

        var layers = new JsonArray();
        foreach (LayerDescriptor l in m.Layers)
        {
            var n = NetInfo(l);
            layers.Add(new JsonObject
            {
                ["index"] = l.Index,
                ["type"] = l.Name,
                ["opcode"] = l.OpCode,
                ["wi"] = n.Wi,
                ["hi"] = n.Hi,
                ["wo"] = n.Wo,
                ["ho"] = n.Ho,
                ["chi"] = n.Chi,
                ["cho"] = n.Cho,
                ["dw"] = n.Dw,
                ["kernel_type"] = n.KernelType,
                ["pool_type"] = n.PoolType,
                ["para_size"] = n.ParaSize,
                ["body_size"] = l.BodySize,
                ["output_shape"] = l.OutputShape is null ? null : new JsonArray(l.OutputShape.Select(d => (JsonNode)d).ToArray()),
                ["output_dtype"] = l.OutputType == ElementType.Float32 ? "float32" : "uint8",
                ["output_memory"] = l.OutputMemory.ToString().ToLowerInvariant(),
                ["output_start"] = l.OutputStart,
                ["output_bytes"] = l.OutputBytes,
                ["macs"] = l.Macs,
                ["details"] = l.Details,
            });
        }

        return new JsonObject
        {
            ["format"] = m.Format.ToString(),
            ["format_name"] = m.FormatName,
            ["version"] = m.Version,
            ["file_bytes"] = m.Bytes.Length,
            ["header"] = header,
            ["inputs"] = Tensors(m.Inputs),
            ["outputs"] = Tensors(m.Outputs),
            ["kpu_ram_bytes"] = m.KpuRamBytes,
            ["main_memory_bytes"] = m.MainMemoryBytes,
            ["total_macs"] = m.TotalMacs,
            ["needs_load_flash"] = Kpu.NeedsLoadFlash(m.Bytes.Length),
            ["load_flash_supported"] = m.Format == KModelFormat.V3,
            ["real_time_limit_bytes"] = Kpu.RealTimeModelLimitBytes,
            ["layers"] = layers,
        };
    }
}
