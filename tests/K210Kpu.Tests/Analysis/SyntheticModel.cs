using K210Kpu.Runtime;

namespace K210Kpu.Tests.Analysis;

/// <summary>Builds KModel objects from hand-made layer tables (no file parsing), for analysis tests.</summary>
internal static class SyntheticModel
{
    public static KModel Build(
        IReadOnlyList<LayerDescriptor> layers,
        KModelFormat format = KModelFormat.V3,
        long mainMemoryBytes = 64 * 1024,
        long kpuRamBytes = 512 * 1024,
        int fileBytes = 400_000,
        bool eightBit = true,
        int version = -1)
    {
        var header = new List<KeyValuePair<string, string>>
        {
            new("version", (version < 0 ? (int)format : version).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("flags", eightBit ? "1" : "0"),
        };
        return new KModel(
            format,
            version < 0 ? (int)format : version,
            new byte[fileBytes],
            new NoProgram(),
            [],
            [],
            layers,
            header,
            mainMemoryBytes,
            kpuRamBytes);
    }

    /// <summary>A KPU conv layer descriptor with the given dimensions (kernel 3 = 3×3, 1 = 1×1; pool 1 = 2×2 max stride 2).</summary>
    public static LayerDescriptor Conv(
        int index, int w, int h, int ic, int oc, int kernel, bool depthwise = false, int pool = 0, bool mainOut = false, uint opCode = 10240, string name = "K210Conv")
    {
        int stride = pool is 1 or 2 or 5 or 6 ? 2 : pool is 3 or 4 or 7 ? 4 : 1;
        int wo = w / stride, ho = h / stride;
        var info = new KpuLayerInfo(w, h, wo, ho, ic, oc, depthwise, kernel == 3 ? 1 : 0, pool, 0, 0, 0, 0, mainOut);
        return new LayerDescriptor(index, opCode, name, 0, 0)
        {
            Kpu = info,
            OutputBytes = wo * ho * oc,
            OutputMemory = mainOut ? MemoryKind.Main : MemoryKind.Kpu,
        };
    }

    public static LayerDescriptor Cpu(int index, uint opCode, string name, int outputBytes, ElementType type = ElementType.Float32) =>
        new(index, opCode, name, 0, 0) { OutputBytes = outputBytes, OutputType = type };

    private sealed class NoProgram : ModelProgram
    {
        public override ModelExecutor CreateExecutor(KModel model, RunOptions options) =>
            throw new NotSupportedException("synthetic model: analysis only");
    }
}
