using K210Kpu.Hardware;

namespace K210Kpu.Runtime.Legacy;

/// <summary>The executable form of a legacy (V1) model: KPU layers run back to back.</summary>
internal sealed class LegacyProgram(KpuConvLayer[] layers) : ModelProgram
{
    public KpuConvLayer[] Layers { get; } = layers;

    public override ModelExecutor CreateExecutor(KModel model, RunOptions options) => new LegacyExecutor(model, options, this);
}
