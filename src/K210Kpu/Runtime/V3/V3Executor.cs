using System.Runtime.InteropServices;
using K210Kpu.Hardware;

namespace K210Kpu.Runtime.V3;

/// <summary>
/// Run state of a V3 model: the main buffer (<c>main_mem_usage</c> bytes, zeroed once, never cleared between runs)
/// and the 2 MiB KPU RAM. Follows the SDK's <c>kpu_run_kmodel</c>: the input is staged by layer 0's type.
/// </summary>
internal sealed class V3Executor : ModelExecutor
{
    private readonly V3Program _program;
    private readonly byte[] _input;
    private bool _inputSet;

    public V3Executor(KModel model, RunOptions options, V3Program program)
        : base(model, options)
    {
        _program = program;
        Main = new byte[program.MainMemoryBytes];
        _input = new byte[model.Inputs[0].ByteSize];
    }

    /// <summary>The main buffer.</summary>
    public byte[] Main { get; }

    /// <summary>KPU RAM.</summary>
    public KpuRam Ram { get; } = new();

    /// <summary>A float32 view of main memory (the SDK's <c>(float *)(main_buffer + address)</c>).</summary>
    public Span<float> Floats(long start, long count) => MemoryMarshal.Cast<byte, float>(Main.AsSpan((int)start, (int)(count * 4)));

    /// <summary>A byte view of main memory.</summary>
    public Span<byte> Bytes(long start, long count) => Main.AsSpan((int)start, (int)count);

    public override void SetInput(int index, ReadOnlySpan<byte> data)
    {
        data.CopyTo(_input);
        _inputSet = true;
    }

    public override void RunLayer(int index)
    {
        if (index == 0)
        {
            if (!_inputSet)
            {
                ThrowHelper.Runtime("input 0 was not set");
            }

            if (_program.FirstConv is { } conv)
            {
                Ram.Upload(_input, conv.ImageSrcAddr, conv.InputWidth, conv.InputHeight, conv.InputChannels);
            }
            else
            {
                _input.AsSpan(0, _program.FloatInputCount * 4).CopyTo(Main.AsSpan((int)_program.FloatInputStart));
            }
        }

        _program.Ops[index].Run(this);
    }

    public override ReadOnlySpan<byte> GetOutput(int index)
    {
        (long start, int size) = _program.Outputs[index];
        return Main.AsSpan((int)start, size);
    }

    public override void ReadLayerOutput(int index, Span<byte> destination) => _program.Ops[index].ReadOutput(this, destination);
}
