namespace K210Kpu;

/// <summary>The bytes are readable but describe something impossible: a shape mismatch, an address beyond KPU RAM or main memory, a register value out of range.</summary>
public sealed class KModelValidationException : KModelException
{
    internal KModelValidationException(string message, int layerIndex, long offset = -1)
        : base(message)
    {
        LayerIndex = layerIndex;
        Offset = offset;
    }

    /// <summary>Index of the layer or node concerned, or -1 for the model as a whole.</summary>
    public int LayerIndex { get; }

    /// <summary>Byte offset in the file, or -1 when not applicable.</summary>
    public long Offset { get; }
}
