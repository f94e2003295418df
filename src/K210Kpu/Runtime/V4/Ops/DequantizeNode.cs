using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>dequantize (0x03, 40 bytes): uint8 → float32 over <c>input.size</c> bytes (see <see cref="Quantization.Dequantize"/>).</summary>
internal sealed class DequantizeNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4QuantParam _quant;

    private DequantizeNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static DequantizeNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new DequantizeNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _quant = ctx.ReadQuantParam(ref r, "quant_param"),
        };
        ctx.NeedOutput(n._output, (long)n._input.Size * 4, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<byte> input = ex.Read(_input);
        Span<float> output = MemoryMarshal.Cast<byte, float>(ex.Write(_output)).Slice(0, input.Length);
        Quantization.Dequantize(input, output, _quant.ZeroPoint, _quant.Scale, ex.DeviceMode);
    }

    public override LayerDescriptor Describe() =>
        RangeDescriptor([1, 1, 1, (int)_input.Size], 0, $"{_input} -> {_output}, {_quant}");
}
