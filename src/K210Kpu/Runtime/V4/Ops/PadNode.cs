using System.Buffers.Binary;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// pad (0x05, 88 bytes): copies the input into the un-padded box of the output and fills the rest with
/// <c>pad_value</c> (first element-size bytes of the scalar's storage); negative paddings crop
/// (nncase v0.2.0-beta4 <c>kernels::neutral::pad</c>). Element size from <c>input.datatype</c>.
/// </summary>
internal sealed class PadNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private V4Shape _inShape;
    private V4Padding[] _pads = [];
    private uint _padValue;

    private PadNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    private V4Shape OutShape => new(
        Math.Max(0, _inShape.D0 + _pads[0].Before + _pads[0].After),
        Math.Max(0, _inShape.D1 + _pads[1].Before + _pads[1].After),
        Math.Max(0, _inShape.D2 + _pads[2].Before + _pads[2].After),
        Math.Max(0, _inShape.D3 + _pads[3].Before + _pads[3].After));

    public static PadNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new PadNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
            _inShape = ctx.ReadShape(ref r, "in_shape"),
        };
        n._pads = new V4Padding[4];
        for (int i = 0; i < 4; i++)
        {
            n._pads[i] = ctx.ReadPadding(ref r, $"paddings[{i}]");
            ctx.CheckRange(n._pads[i].Before, -(1 << 28), 1 << 28, $"paddings[{i}].before");
            ctx.CheckRange(n._pads[i].After, -(1 << 28), 1 << 28, $"paddings[{i}].after");
        }

        r.ReadUInt32("pad_value.type");
        n._padValue = r.ReadUInt32("pad_value.storage");
        long inCount = ctx.CheckShape(n._inShape, "in_shape");
        int es = n._input.ElementSize;
        ctx.Need(n._input, inCount * es, "input");
        V4Shape os = n.OutShape;
        long outCount = os.Elements;
        if (outCount > V4LoadContext.MaxElements)
        {
            ctx.Fail($"the padded shape {os} is too large");
        }

        ctx.NeedOutput(n._output, outCount * es, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<byte> input = ex.Read(_input);
        Span<byte> output = ex.Write(_output);
        int es = _input.ElementSize;
        Span<byte> pad = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(pad, _padValue);
        pad = pad.Slice(0, es);
        V4Shape os = OutShape;
        V4Shape s = _inShape;
        int o = 0;
        for (int d0 = 0; d0 < os.D0; d0++)
        {
            bool in0 = d0 >= _pads[0].Before && d0 < os.D0 - _pads[0].After;
            for (int d1 = 0; d1 < os.D1; d1++)
            {
                bool in1 = in0 && d1 >= _pads[1].Before && d1 < os.D1 - _pads[1].After;
                for (int d2 = 0; d2 < os.D2; d2++)
                {
                    bool in2 = in1 && d2 >= _pads[2].Before && d2 < os.D2 - _pads[2].After;
                    int rowBase = BinaryNode.Offset(s, d0 - _pads[0].Before, d1 - _pads[1].Before, d2 - _pads[2].Before, -_pads[3].Before);
                    for (int d3 = 0; d3 < os.D3; d3++)
                    {
                        if (in2 && d3 >= _pads[3].Before && d3 < os.D3 - _pads[3].After)
                        {
                            input.Slice((rowBase + d3) * es, es).CopyTo(output.Slice(o, es));
                        }
                        else
                        {
                            pad.CopyTo(output.Slice(o, es));
                        }

                        o += es;
                    }
                }
            }
        }
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        OutShape.ToArray(),
        0,
        $"{_input} [{_inShape}] -> {_output} [{OutShape}], paddings {string.Join(" ", _pads.Select(p => $"({p})"))}, value 0x{_padValue:X}");
}
