using K210Kpu.Runtime;

namespace K210Kpu;

/// <summary>
/// A parsed K210 model: kmodel V3 (nncase 0.1), V4 (nncase 0.2) or the legacy pre-V3 format.
/// Immutable; holds the file bytes and the decoded layer table. Run it with <see cref="Interpreter"/>.
/// </summary>
public sealed class KModel
{
    /// <summary>Largest model file accepted (the K210's SPI flash is 16 MiB).</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Most multiply-accumulates one run of a model may take, all layers together: 10 G, four times the heaviest
    /// known K210 model (a licence-plate recogniser, 2.5 G), and about ten seconds of emulation. A model above it is
    /// refused at load time, so no run can be made to take minutes.
    /// </summary>
    public const long MaxTotalMacs = 10_000_000_000;

    internal KModel(
        KModelFormat format,
        int version,
        ReadOnlyMemory<byte> bytes,
        ModelProgram program,
        IReadOnlyList<TensorInfo> inputs,
        IReadOnlyList<TensorInfo> outputs,
        IReadOnlyList<LayerDescriptor> layers,
        IReadOnlyList<KeyValuePair<string, string>> header,
        long mainMemoryBytes,
        long kpuRamBytes)
    {
        Format = format;
        Version = version;
        Bytes = bytes;
        Program = program;
        Inputs = inputs;
        Outputs = outputs;
        Layers = layers;
        Header = header;
        MainMemoryBytes = mainMemoryBytes;
        KpuRamBytes = kpuRamBytes;
    }

    /// <summary>Container format.</summary>
    public KModelFormat Format { get; }

    /// <summary>Version number as stored in the header (1, 3 or 4).</summary>
    public int Version { get; }

    /// <summary>The whole file. Weights and tables are slices of it.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Model inputs (the runtime feeds input 0).</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>Model outputs, in file order.</summary>
    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Layers (V3, legacy) or nodes (V4) in run order.</summary>
    public IReadOnlyList<LayerDescriptor> Layers { get; }

    /// <summary>Header fields as read, by their upstream names (e.g. <c>main_mem_usage</c>), for display.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Header { get; }

    /// <summary>Bytes of CPU-side main memory the model needs while running.</summary>
    public long MainMemoryBytes { get; }

    /// <summary>Bytes of KPU RAM the model's feature maps occupy (of 2 MiB).</summary>
    public long KpuRamBytes { get; }

    /// <summary>Total multiply-accumulates per run, summed over the layers.</summary>
    public long TotalMacs => Layers.Sum(l => l.Macs);

    /// <summary>A short name of the format, e.g. "kmodel V3 (nncase 0.1)".</summary>
    public string FormatName => Format switch
    {
        KModelFormat.V3 => "kmodel V3 (nncase 0.1)",
        KModelFormat.V4 => "kmodel V4 (nncase 0.2)",
        _ => "legacy kmodel V1 (Kendryte model compiler)",
    };

    internal ModelProgram Program { get; }

    /// <summary>Loads a model file.</summary>
    /// <exception cref="KModelException">The file is not a model this library runs; the message says what it is.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static KModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream fs = File.OpenRead(path);
        return Load(fs);
    }

    /// <summary>Loads a model from a stream (read to its end, at most <see cref="MaxFileBytes"/>).</summary>
    /// <exception cref="KModelException">The bytes are not a model this library runs.</exception>
    public static KModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var ms = new MemoryStream();
        byte[] buffer = new byte[81920];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (ms.Length + n > MaxFileBytes)
            {
                ThrowHelper.Format($"the model is larger than {MaxFileBytes / (1024 * 1024)} MiB; no K210 model can be that large");
            }

            ms.Write(buffer, 0, n);
        }

        return Load(ms.ToArray());
    }

    /// <summary>Loads a model from its bytes. The memory is kept (not copied) and must not change afterwards.</summary>
    /// <exception cref="KModelException">The bytes are not a model this library runs.</exception>
    public static KModel Load(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length > MaxFileBytes)
        {
            ThrowHelper.Format($"the model is larger than {MaxFileBytes / (1024 * 1024)} MiB; no K210 model can be that large");
        }

        KModel model = KModelSniffer.Detect(bytes.Span) switch
        {
            KModelFormat.V3 => Model.V3.KModelReaderV3.Read(bytes),
            KModelFormat.V4 => Model.V4.KModelReaderV4.Read(bytes),
            KModelFormat.Legacy => Model.Legacy.KModelReaderLegacy.Read(bytes),
            _ => throw new InvalidOperationException("unreachable"),
        };
        Model.ModelLimits.Check(model);
        return model;
    }

    /// <summary>Loads a model from its bytes.</summary>
    public static KModel Load(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Load(new ReadOnlyMemory<byte>(bytes));
    }

    /// <summary>Tells what a file is from its first bytes, without loading it: e.g. "kmodel V3 (nncase 0.1)", "kmodel V5 (nncase 1.x)", "kfpkg (zip)".</summary>
    public static string Describe(ReadOnlySpan<byte> head) => KModelSniffer.Describe(head);
}
