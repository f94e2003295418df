using System.Diagnostics;
using K210Kpu.Runtime;

namespace K210Kpu;

/// <summary>
/// Runs a <see cref="KModel"/> on the emulated K210: the KPU in integer arithmetic and the CPU layers as the
/// upstream runtimes compute them. Holds the run state (main memory, 2 MiB KPU RAM), which persists between runs
/// as on the device. Not thread-safe: use one interpreter per thread (interpreters of one model on different threads
/// share nothing mutable). A call from a second thread while a run is under way throws
/// <see cref="InvalidOperationException"/> instead of corrupting the run, and so does a nested <see cref="Run(int, CancellationToken)"/>
/// from <see cref="LayerCompleted"/>.
/// </summary>
public sealed class Interpreter : IDisposable
{
    private readonly ModelExecutor _executor;
    private readonly byte[]?[] _inputs;
    private bool _inputsPlaced;
    private bool _disposed;
    private int _layersRun;
    private int _runThread;

    /// <summary>Creates the run state for <paramref name="model"/>.</summary>
    public Interpreter(KModel model, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Options = options ?? RunOptions.Default;
        _executor = model.Program.CreateExecutor(model, Options);
        _inputs = new byte[model.Inputs.Count][];
    }

    /// <summary>The model.</summary>
    public KModel Model { get; }

    /// <summary>The options this interpreter runs with.</summary>
    public RunOptions Options { get; }

    /// <summary>Called after each layer with the layer index (use <see cref="ReadLayerOutput(int)"/> inside it to capture feature maps).</summary>
    public Action<int>? LayerCompleted { get; set; }

    /// <summary>Number of layers that ran in the last <see cref="Run(int, CancellationToken)"/>.</summary>
    public int LayersRun => _layersRun;

    /// <summary>
    /// Sets input <paramref name="index"/> from its raw bytes (uint8 planar CHW for KPU models, float32 LE for float
    /// inputs) for this and every later run: a model may reuse its input's memory for later layers, so each run places
    /// the inputs again (a copy is kept; nothing is allocated per run).
    /// </summary>
    /// <exception cref="KpuRuntimeException">The size differs from the input's size.</exception>
    public void SetInput(int index, ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfRunningElsewhere(sameThreadToo: true);
        if ((uint)index >= (uint)Model.Inputs.Count)
        {
            ThrowHelper.Runtime($"input index {index} is out of range: the model has {Model.Inputs.Count} input(s)");
        }

        TensorInfo info = Model.Inputs[index];
        if (data.Length != info.ByteSize)
        {
            ThrowHelper.Runtime($"input {index} must be exactly {info.ByteSize} bytes ({info.ElementType} [{string.Join("x", info.Shape)}]), got {data.Length}");
        }

        byte[] copy = _inputs[index] ??= new byte[data.Length];
        data.CopyTo(copy);
        _executor.SetInput(index, data);
        _inputsPlaced = true;
    }

    /// <summary>Runs every layer.</summary>
    public void Run(CancellationToken cancellationToken = default) => Run(Model.Layers.Count, cancellationToken);

    /// <summary>Runs the first <paramref name="layerCount"/> layers (MaixPy's <c>forward</c> to a layer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is not in 1..layers.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="KpuRuntimeException">The run exceeded <see cref="RunOptions.Timeout"/>.</exception>
    public void Run(int layerCount, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(layerCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(layerCount, Model.Layers.Count);
        if (Interlocked.CompareExchange(ref _runThread, Environment.CurrentManagedThreadId, 0) != 0)
        {
            throw new InvalidOperationException("this interpreter is already running (one interpreter runs one model at a time: use one interpreter per thread)");
        }

        try
        {
            long start = Stopwatch.GetTimestamp();
            TimeSpan? timeout = Options.Timeout;
            _layersRun = 0;

            // The first run after SetInput finds the inputs in place; later ones place them again (the last run may
            // have overwritten them: MaixPy and nncase also write the input before every run).
            if (!_inputsPlaced)
            {
                for (int k = 0; k < _inputs.Length; k++)
                {
                    if (_inputs[k] is { } input)
                    {
                        _executor.SetInput(k, input);
                    }
                }
            }

            _inputsPlaced = false;
            for (int i = 0; i < layerCount; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (timeout is { } t && Stopwatch.GetElapsedTime(start) > t)
                {
                    ThrowHelper.Runtime($"the run exceeded its timeout of {t.TotalSeconds:0.###} s at layer {i}");
                }

                _executor.RunLayer(i);
                _layersRun = i + 1;
                LayerCompleted?.Invoke(i);
            }
        }
        finally
        {
            Volatile.Write(ref _runThread, 0);
        }
    }

    private void ThrowIfRunningElsewhere(bool sameThreadToo = false)
    {
        int t = Volatile.Read(ref _runThread);
        if (t != 0 && (sameThreadToo || t != Environment.CurrentManagedThreadId))
        {
            throw new InvalidOperationException("this interpreter is running: its inputs and outputs can be touched only by the thread that runs it, between runs (or from LayerCompleted)");
        }
    }

    /// <summary>The raw bytes of output <paramref name="index"/>; valid until the next run or disposal.</summary>
    public ReadOnlySpan<byte> GetOutput(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfRunningElsewhere();
        if ((uint)index >= (uint)Model.Outputs.Count)
        {
            ThrowHelper.Runtime($"output index {index} is out of range: the model has {Model.Outputs.Count} output(s)");
        }

        return _executor.GetOutput(index);
    }

    /// <summary>Output <paramref name="index"/> as float32 values (the output must be float32).</summary>
    public float[] GetOutputAsFloats(int index)
    {
        ReadOnlySpan<byte> raw = GetOutput(index);
        if (Model.Outputs[index].ElementType != ElementType.Float32)
        {
            ThrowHelper.Runtime($"output {index} is {Model.Outputs[index].ElementType}, not float32");
        }

        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw[..(raw.Length / 4 * 4)]).ToArray();
    }

    /// <summary>
    /// A copy of layer <paramref name="index"/>'s output as it stands now: KPU maps downloaded to dense NCHW uint8,
    /// other layers the raw bytes of their output range (the format of the golden <c>nodes/</c> dumps).
    /// </summary>
    public byte[] ReadLayerOutput(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfRunningElsewhere();
        if ((uint)index >= (uint)Model.Layers.Count)
        {
            ThrowHelper.Runtime($"layer index {index} is out of range: the model has {Model.Layers.Count} layers");
        }

        byte[] dst = new byte[Model.Layers[index].OutputBytes];
        _executor.ReadLayerOutput(index, dst);
        return dst;
    }

    /// <summary>Releases the run state. Idempotent; any later call throws <see cref="ObjectDisposedException"/>.</summary>
    /// <exception cref="InvalidOperationException">Another thread is running this interpreter.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        ThrowIfRunningElsewhere();
        _disposed = true;
        if (Volatile.Read(ref _runThread) == 0)
        {
            _executor.Dispose();
        }
    }
}
