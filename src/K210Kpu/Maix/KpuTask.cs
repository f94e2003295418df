using K210Kpu.PostProcessing;

namespace K210Kpu.Maix;

/// <summary>
/// A loaded model with its run state: MaixPy's <c>kpu_net</c> object. Made by <see cref="Kpu.Load(string)"/> or
/// <see cref="Kpu.Load(int)"/>; holds one <see cref="Interpreter"/>, reused across runs. At most five tasks
/// are alive at a time (MaixPy's limit, error 2009). Dispose (or <see cref="Kpu.Deinit"/>) frees the slot; it is
/// idempotent, and any use afterwards throws <see cref="ObjectDisposedException"/>. Not thread-safe.
/// </summary>
public sealed partial class KpuTask : IDisposable
{
    /// <summary>Models that may be loaded at the same time.</summary>
    public const int MaxLoaded = 5;

    private static int s_loaded;

    private readonly KModel _model;
    private readonly Dictionary<int, (int W, int H, int Ch)> _outputShapes = [];
    private Interpreter? _interpreter;
    private Yolo2Options? _yolo2;
    private int _layerCount;
    private bool _disposed;

    private KpuTask(KModel model, int? address, string? path, int size)
    {
        _model = model;
        ModelAddress = address;
        ModelPath = path;
        ModelSize = size;
        _layerCount = model.Layers.Count;
    }

    /// <summary>Number of tasks alive in this process.</summary>
    public static int LoadedCount => Volatile.Read(ref s_loaded);

    /// <summary>The model.</summary>
    /// <exception cref="ObjectDisposedException">The task was disposed.</exception>
    public KModel Model
    {
        get
        {
            ThrowIfDisposed();
            return _model;
        }
    }

    /// <summary>Flash address the model was loaded from (<c>model_addr()</c>), or null for a file.</summary>
    public int? ModelAddress { get; }

    /// <summary>File the model was loaded from (<c>model_path()</c>), or null for flash.</summary>
    public string? ModelPath { get; }

    /// <summary>Model size in bytes (<c>model_size()</c>): from the header for flash loads, the file size for files.</summary>
    public int ModelSize { get; }

    /// <summary>Options of the interpreter, used from the first run on. Default <see cref="RunOptions.Default"/>.</summary>
    public RunOptions RunOptions { get; set; } = RunOptions.Default;

    /// <summary>The YOLOv2 parameters set by <see cref="Kpu.InitYolo2"/> (<c>net_arg()</c>), or null.</summary>
    public Yolo2Options? Yolo2
    {
        get
        {
            ThrowIfDisposed();
            return _yolo2;
        }

        internal set => _yolo2 = value;
    }

    /// <summary>Layers run per call (MaixPy's <c>layers_length</c>, changed by <see cref="Kpu.SetLayers"/>).</summary>
    public int LayerCount
    {
        get
        {
            ThrowIfDisposed();
            return _layerCount;
        }

        internal set => _layerCount = value;
    }

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>
    /// The image size and channels the model takes, as MaixPy checks images against them: for V3 models the first
    /// KPU layer's input registers, for V4 models input 0's shape.
    /// </summary>
    /// <exception cref="MaixPyException">A V3 model does not start with a KPU layer ("first layer not conv layer!").</exception>
    /// <exception cref="ObjectDisposedException">The task was disposed.</exception>
    public (int Width, int Height, int Channels) InputShape => Kpu.InputShape(this);

    internal IReadOnlyDictionary<int, (int W, int H, int Ch)> OutputShapes => _outputShapes;

    internal Interpreter Interpreter
    {
        get
        {
            ThrowIfDisposed();
            return _interpreter ??= new Interpreter(_model, RunOptions);
        }
    }

    internal bool HasRun => _interpreter is not null;

    internal static KpuTask Create(KModel model, int? address, string? path, int size)
    {
        while (true)
        {
            int n = Volatile.Read(ref s_loaded);
            if (n >= MaxLoaded)
            {
                throw MaixPyException.Load(KpuErrorCode.ModelsFull);
            }

            if (Interlocked.CompareExchange(ref s_loaded, n + 1, n) == n)
            {
                return new KpuTask(model, address, path, size);
            }
        }
    }

    internal void SetOutputShape(int index, int w, int h, int ch) => _outputShapes[index] = (w, h, ch);

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Frees the model slot and the run state. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _interpreter?.Dispose();
        _interpreter = null;
        _yolo2 = null;
        Interlocked.Decrement(ref s_loaded);
    }

    /// <summary>MaixPy's print form: <c>{"model_addr": 3145728, "model_size": 388776, "model_path": "(null)", "net_args": ...}</c>.</summary>
    public override string ToString() =>
        $"{{\"model_addr\": {ModelAddress ?? 0}, \"model_size\": {ModelSize}, \"model_path\": \"{ModelPath ?? "(null)"}\", \"net_args\": {(_yolo2 is null ? "\"(null)\"" : _yolo2.ToString())}}}";
}
