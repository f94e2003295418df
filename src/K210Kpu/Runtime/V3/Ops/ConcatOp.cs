using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>CONCAT (16) and QUANTIZED_CONCAT (17): copies each input range {start, size} in turn to the output.</summary>
internal sealed class ConcatOp(int index, V3LayerType type, long bodyOffset, long output, (long Start, long Size)[] inputs)
    : V3Op(index, type, bodyOffset)
{
    private readonly long _total = inputs.Sum(i => i.Size);

    public override string Name => Type == V3LayerType.QuantizedConcat ? "QuantizedConcat" : "Concat";

    public override ElementType OutputType => Type == V3LayerType.QuantizedConcat ? ElementType.UInt8 : ElementType.Float32;

    public override long OutputStart => output;

    public override int OutputBytes => (int)_total;

    public override string Details => $"{inputs.Length} inputs, {_total} bytes -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            yield return (inputs[i].Start, inputs[i].Size, $"input {i}");
        }

        yield return (output, _total, "output");
    }

    public override void Run(V3Executor executor)
    {
        long dst = output;
        foreach ((long start, long size) in inputs)
        {
            executor.Bytes(start, size).CopyTo(executor.Bytes(dst, size));
            dst += size;
        }
    }
}
