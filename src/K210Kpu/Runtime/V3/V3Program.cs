using K210Kpu.Hardware;

namespace K210Kpu.Runtime.V3;

/// <summary>The executable form of a V3 model: its layers, input staging and output table.</summary>
internal sealed class V3Program : ModelProgram
{
    public V3Program(V3Op[] ops, int mainMemoryBytes, (long Start, int Size)[] outputs, KpuLayerArgument? firstConv, long floatInputStart, int floatInputCount)
    {
        Ops = ops;
        MainMemoryBytes = mainMemoryBytes;
        Outputs = outputs;
        FirstConv = firstConv;
        FloatInputStart = floatInputStart;
        FloatInputCount = floatInputCount;
    }

    public V3Op[] Ops { get; }

    public int MainMemoryBytes { get; }

    public (long Start, int Size)[] Outputs { get; }

    /// <summary>Registers of layer 0 when it is a K210_CONV (the input is uploaded by its registers).</summary>
    public KpuLayerArgument? FirstConv { get; }

    /// <summary>For an FC-first model, where its float input goes in main memory.</summary>
    public long FloatInputStart { get; }

    public int FloatInputCount { get; }

    public override ModelExecutor CreateExecutor(KModel model, RunOptions options) => new V3Executor(model, options, this);
}
