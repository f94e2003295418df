using K210Kpu.Runtime;

namespace K210Kpu.Scripting.Bridge;

/// <summary>The C# side of a script's <c>kpu_net</c>: the loaded model, its run state and where it came from.</summary>
public sealed class KpuNet
{
    private Interpreter? _interpreter;

    internal KpuNet(KModel model, long address, string? path, int size)
    {
        Model = model;
        Address = address;
        Path = path;
        Size = size;
        LayerLimit = model.Layers.Count;
    }

    /// <summary>Flash address it was loaded from, or -1 for a file.</summary>
    public long Address { get; }

    /// <summary>Script path it was loaded from, or null for flash.</summary>
    public string? Path { get; }

    /// <summary>Model bytes (MaixPy <c>model_size()</c>).</summary>
    public int Size { get; }

    /// <summary>Layers one run computes (<c>set_layers</c>; all by default).</summary>
    public int LayerLimit { get; internal set; }

    /// <summary>Total layers in the model.</summary>
    public int LayerCount => Model.Layers.Count;

    /// <summary>Whether <c>deinit</c> released it.</summary>
    public bool Released { get; private set; }

    internal KModel Model { get; }

    internal Interpreter Interpreter => _interpreter ??= new Interpreter(Model);

    internal void Release()
    {
        _interpreter?.Dispose();
        _interpreter = null;
        Released = true;
    }
}
