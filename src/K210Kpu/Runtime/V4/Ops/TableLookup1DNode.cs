using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// table_lookup1d (0x12, 48 bytes): <c>out[i] = table[in[i]]</c> for the <c>input.size</c> uint8 inputs; the input must be
/// uint8 (nncase v0.2.0-beta4 <c>neutral::table_lookup1d</c>).
/// </summary>
internal sealed class TableLookup1DNode : V4Node
{
    private V4MemoryRange _input;
    private V4MemoryRange _table;
    private V4MemoryRange _output;

    private TableLookup1DNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    public static TableLookup1DNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new TableLookup1DNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _table = ctx.ReadRange(ref r, "table"),
            _output = ctx.ReadRange(ref r, "output"),
        };
        ctx.NeedType(n._input, ElementType.UInt8, "input");
        ctx.Need(n._table, 256, "table");
        ctx.NeedOutput(n._output, n._input.Size, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<byte> input = ex.Read(_input);
        ReadOnlySpan<byte> table = ex.Read(_table);
        Span<byte> output = ex.Write(_output);
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = table[input[i]];
        }
    }

    public override LayerDescriptor Describe() =>
        RangeDescriptor([1, 1, 1, (int)_input.Size], 0, $"{_input} -> {_output}, table {_table}");
}
