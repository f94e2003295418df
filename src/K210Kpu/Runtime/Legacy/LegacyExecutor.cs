using K210Kpu.Hardware;
using K210Kpu.Kernels;

namespace K210Kpu.Runtime.Legacy;

/// <summary>
/// Run state of a legacy model (legacy-v1 §5): the input is placed at layer 0's <c>image_src_addr</c>, every layer reads
/// and writes KPU RAM, and the last layer's output is also streamed out as compact NCHW uint8 (the model's output).
/// </summary>
internal sealed class LegacyExecutor : ModelExecutor
{
    private readonly LegacyProgram _program;
    private readonly byte[] _input;
    private readonly byte[] _output;
    private readonly KpuRam _ram = new();
    private bool _inputSet;

    public LegacyExecutor(KModel model, RunOptions options, LegacyProgram program)
        : base(model, options)
    {
        _program = program;
        _input = new byte[model.Inputs[0].ByteSize];
        _output = new byte[model.Outputs[0].ByteSize];
    }

    public override void SetInput(int index, ReadOnlySpan<byte> data)
    {
        data.CopyTo(_input);
        _inputSet = true;
    }

    public override void RunLayer(int index)
    {
        KpuConvLayer layer = _program.Layers[index];
        if (index == 0)
        {
            if (!_inputSet)
            {
                ThrowHelper.Runtime("input 0 was not set");
            }

            KpuLayerArgument a = layer.Arguments;
            _ram.Upload(_input, a.ImageSrcAddr, a.InputWidth, a.InputHeight, a.InputChannels);
        }

        bool last = index == _program.Layers.Length - 1;
        KpuConv.Run(layer, _ram, last ? _output : Span<byte>.Empty, Options);
    }

    public override ReadOnlySpan<byte> GetOutput(int index) => _output;

    public override void ReadLayerOutput(int index, Span<byte> destination)
    {
        KpuLayerArgument a = _program.Layers[index].Arguments;
        _ram.Download(a.ImageDstAddr, a.OutputWidth, a.OutputHeight, a.OutputChannels, destination);
    }
}
