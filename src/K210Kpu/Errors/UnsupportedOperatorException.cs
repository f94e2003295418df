namespace K210Kpu;

/// <summary>A layer or node uses an operator that the K210 runtime cannot run (it aborts on it) or that is unknown.</summary>
public sealed class UnsupportedOperatorException : KModelException
{
    internal UnsupportedOperatorException(string message, uint opCode, string opName, int layerIndex)
        : base(message)
    {
        OpCode = opCode;
        OpName = opName;
        LayerIndex = layerIndex;
    }

    /// <summary>The layer type (V3/legacy) or opcode (V4) as stored in the file.</summary>
    public uint OpCode { get; }

    /// <summary>The name of the layer type or opcode, or "unknown".</summary>
    public string OpName { get; }

    /// <summary>Index of the offending layer or node.</summary>
    public int LayerIndex { get; }
}
