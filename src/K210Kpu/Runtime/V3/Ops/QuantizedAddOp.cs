using K210Kpu.Kernels;
using K210Kpu.Model.V3;

namespace K210Kpu.Runtime.V3.Ops;

/// <summary>
/// QUANTIZED_ADD (2), as the SDK's <c>kpu_quantized_add</c>: processes <c>ceil(count/8)·8</c> elements (up to 7 past
/// <c>count</c>; here clipped to main memory). A = a + offA, B = b + offB (int64); equal shifts:
/// <c>(A·mulA + B·mulB) &gt;&gt; shA</c>, else <c>((A·mulA) &gt;&gt; shA) + ((B·mulB) &gt;&gt; shB)</c>; then
/// <c>CarryShiftSdk(v·mulO, shO) + offO</c> clamped to 0..255.
/// </summary>
internal sealed class QuantizedAddOp(int index, long bodyOffset, long inputA, long inputB, long output, long count, QuantizedAddParameters p)
    : V3Op(index, V3LayerType.QuantizedAdd, bodyOffset)
{
    public override string Name => "QuantizedAdd";

    public override ElementType OutputType => ElementType.UInt8;

    public override long OutputStart => output;

    public override int OutputBytes => (int)count;

    public override long InputStart => inputA;

    public override long InputElements => count;

    public override string Details => $"{count} bytes, @{inputA} + @{inputB} -> @{output}";

    public override IEnumerable<(long Start, long Length, string What)> MainRanges()
    {
        yield return (inputA, count, "input a");
        yield return (inputB, count, "input b");
        yield return (output, count, "output");
    }

    /// <summary>One element.</summary>
    public static byte Compute(byte a, byte b, in QuantizedAddParameters p)
    {
        long va = (long)a + p.InAOffset;
        long vb = (long)b + p.InBOffset;
        long v;
        if (p.InAShift == p.InBShift)
        {
            v = unchecked((va * p.InAMul) + (vb * p.InBMul)) >> Shift(p.InAShift);
        }
        else
        {
            v = unchecked((va * p.InAMul) >> Shift(p.InAShift)) + unchecked((vb * p.InBMul) >> Shift(p.InBShift));
        }

        v = unchecked(FixedPoint.CarryShiftSdk(unchecked(v * p.OutMul), Shift(p.OutShift)) + p.OutOffset);
        return (byte)Math.Clamp(v, 0, 255);
    }

    // int64 shifts in C use the count as is; counts outside 0..63 are undefined there, masked here as the hardware does.
    private static int Shift(int s) => s & 63;

    public override void Run(V3Executor executor)
    {
        byte[] m = executor.Main;
        long n8 = (count + 7) / 8 * 8;
        for (long i = 0; i < n8; i++)
        {
            if (inputA + i >= m.Length || inputB + i >= m.Length || output + i >= m.Length)
            {
                break;
            }

            m[output + i] = Compute(m[inputA + i], m[inputB + i], p);
        }
    }
}
