using K210Kpu.Hardware;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4;

/// <summary>
/// Run state of a V4 model (nncase v0.2.0-beta4 <c>interpreter_base</c>): the main pool (zeroed once), the 2 MiB KPU RAM
/// (zeroed once) and the constants. Nodes run strictly in order on these shared pools, since the compiler aliases buffers.
/// </summary>
internal sealed class V4Executor : ModelExecutor
{
    private readonly V4Program _program;
    private readonly byte[] _main;

    public V4Executor(KModel model, RunOptions options, V4Program program)
        : base(model, options)
    {
        _program = program;
        _main = new byte[program.MainBytes];
        Kpu = new KpuRam();
    }

    /// <summary>The KPU RAM.</summary>
    public KpuRam Kpu { get; }

    /// <summary>True in <see cref="ArithmeticMode.Device"/>.</summary>
    public bool DeviceMode => Options.Mode == ArithmeticMode.Device;

    /// <summary>The bytes of <paramref name="range"/> for reading (any pool).</summary>
    public ReadOnlySpan<byte> Read(in V4MemoryRange range) => range.Memory switch
    {
        MemoryKind.Constant => _program.Constants.Span.Slice((int)range.Start, (int)range.Size),
        MemoryKind.Main => _main.AsSpan((int)range.Start, (int)range.Size),
        _ => Kpu.Data.AsSpan((int)range.Start, (int)range.Size),
    };

    /// <summary>The bytes of <paramref name="range"/> for writing (main or KPU; the loader rejected constant outputs).</summary>
    public Span<byte> Write(in V4MemoryRange range) => range.Memory switch
    {
        MemoryKind.Main => _main.AsSpan((int)range.Start, (int)range.Size),
        MemoryKind.Kpu => Kpu.Data.AsSpan((int)range.Start, (int)range.Size),
        _ => Span<byte>.Empty,
    };

    public override void SetInput(int index, ReadOnlySpan<byte> data)
    {
        V4MemoryRange range = _program.Inputs[index];
        V4Shape shape = _program.InputShapes[index];
        if (range.Memory == MemoryKind.Kpu)
        {
            // SDK glue: W % 64 == 0 is a DMA copy of the dense bytes, otherwise kpu_upload; the row layout of a
            // width that is a multiple of 64 is dense NCHW, so Upload writes the same bytes in both cases.
            Kpu.Upload(data, (int)(range.Start / KpuRam.RowBytes), shape.D3, shape.D2, shape.D1, shape.D0);
        }
        else
        {
            data.CopyTo(Write(range));
        }
    }

    public override void RunLayer(int index) => _program.Nodes[index].Run(this);

    public override ReadOnlySpan<byte> GetOutput(int index) => Read(_program.Outputs[index]);

    public override void ReadLayerOutput(int index, Span<byte> destination) =>
        _program.Nodes[index].ReadOutput(this, destination);
}
