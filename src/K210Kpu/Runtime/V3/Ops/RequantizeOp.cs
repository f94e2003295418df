using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>REQUANTIZE (13): <c>out[i] = table[in[i]]</c> with a 256-byte table from the body.</summary>
internal sealed class RequantizeOp(int index, long bodyOffset, long input, long output, long count, byte[] table)
    : V3Op(index, V3LayerType.Requantize, bodyOffset)
{
    public override string Name => "Requantize";

    public override ElementType OutputType => ElementType.UInt8;

    public override long OutputStart => output;

    public override int OutputBytes => (int)count;

    public override long InputStart => input;

    public override long InputElements => count;

    public override string Details => $"{count} bytes, @{input} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (input, count, "input");
        yield return (output, count, "output");
    }

    public override void Run(V3Executor executor)
    {
        byte[] m = executor.Main;
        for (long i = 0; i < count; i++)
        {
            m[output + i] = table[m[input + i]];
        }
    }
}
