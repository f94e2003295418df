using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>quantize (0x06, 40 bytes): float32 → uint8 over <c>input.size / 4</c> floats (see <see cref="Quantization.Quantize"/>).</summary>
internal sealed class QuantizeNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4QuantParam _quant;

    private QuantizeNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static QuantizeNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new QuantizeNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _quant = ctx.ReadQuantParam(ref r, "quant_param"),
        };
        ctx.NeedOutput(n._output, n._input.Size / 4, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> input = MemoryMarshal.Cast<byte, float>(ex.Read(_input));
        Quantization.Quantize(input, ex.Write(_output).Slice(0, input.Length), _quant.ZeroPoint, _quant.Scale, ex.DeviceMode);
    }

    public override LayerDescriptor Describe() =>
        RangeDescriptor([1, 1, 1, (int)(_input.Size / 4)], 0, $"{_input} -> {_output}, {_quant}");
}
