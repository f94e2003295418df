using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4;

/// <summary>The executable form of a V4 model: its pools' sizes, input/output ranges and the parsed nodes.</summary>
internal sealed class V4Program : ModelProgram
{
    public V4Program(
        ReadOnlyMemory<byte> constants,
        int mainBytes,
        V4MemoryRange[] inputs,
        V4Shape[] inputShapes,
        V4MemoryRange[] outputs,
        V4Node[] nodes)
    {
        Constants = constants;
        MainBytes = mainBytes;
        Inputs = inputs;
        InputShapes = inputShapes;
        Outputs = outputs;
        Nodes = nodes;
    }

    /// <summary>The <c>mem_const</c> pool: a slice of the file.</summary>
    public ReadOnlyMemory<byte> Constants { get; }

    /// <summary>Size of <c>mem_main</c>.</summary>
    public int MainBytes { get; }

    public V4MemoryRange[] Inputs { get; }

    public V4Shape[] InputShapes { get; }

    public V4MemoryRange[] Outputs { get; }

    public V4Node[] Nodes { get; }

    public override ModelExecutor CreateExecutor(KModel model, RunOptions options) => new V4Executor(model, options, this);
}
