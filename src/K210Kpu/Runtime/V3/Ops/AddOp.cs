using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>ADD (1): <c>out[i] = a[i] + b[i]</c>, float32.</summary>
internal sealed class AddOp(int index, long bodyOffset, long inputA, long inputB, long output, long count) : V3Op(index, V3LayerType.Add, bodyOffset)
{
    public override string Name => "Add";

    public override ElementType OutputType => ElementType.Float32;

    public override long OutputStart => output;

    public override int OutputBytes => (int)(count * 4);

    public override long InputStart => inputA;

    public override long InputElements => count;

    public override string Details => $"{count} floats, @{inputA} + @{inputB} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (inputA, count * 4, "input a");
        yield return (inputB, count * 4, "input b");
        yield return (output, count * 4, "output");
    }

    public override void Run(V3Executor executor)
    {
        Span<float> a = executor.Floats(inputA, count);
        Span<float> b = executor.Floats(inputB, count);
        Span<float> o = executor.Floats(output, count);
        for (int i = 0; i < o.Length; i++)
        {
            o[i] = a[i] + b[i];
        }
    }
}
