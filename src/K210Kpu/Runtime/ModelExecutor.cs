namespace K210Kpu.Runtime;

/// <summary>
/// Run state of one model: its memories and the per-layer dispatch. One per <see cref="Interpreter"/>;
/// not thread-safe. Layers run strictly in order on shared memories, as the device does.
/// </summary>
internal abstract class ModelExecutor : IDisposable
{
    protected ModelExecutor(KModel model, RunOptions options)
    {
        Model = model;
        Options = options;
    }

    public KModel Model { get; }

    public RunOptions Options { get; }

    /// <summary>Stages input <paramref name="index"/> (raw bytes of exactly <see cref="TensorInfo.ByteSize"/>; the caller checked the size).</summary>
    public abstract void SetInput(int index, ReadOnlySpan<byte> data);

    /// <summary>Runs layer <paramref name="index"/>. Layers are run in order starting at 0.</summary>
    public abstract void RunLayer(int index);

    /// <summary>The raw bytes of output <paramref name="index"/> as they stand in memory after the run.</summary>
    public abstract ReadOnlySpan<byte> GetOutput(int index);

    /// <summary>
    /// Copies layer <paramref name="index"/>'s output, as the golden <c>nodes/</c> dumps store it: KPU outputs downloaded
    /// to dense NCHW uint8, other layers the raw bytes of their output range. <paramref name="destination"/> has
    /// <see cref="LayerDescriptor.OutputBytes"/> bytes.
    /// </summary>
    public abstract void ReadLayerOutput(int index, Span<byte> destination);

    public virtual void Dispose()
    {
    }
}
