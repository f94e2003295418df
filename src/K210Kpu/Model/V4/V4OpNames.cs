namespace K210Kpu.Model.V4;

/// <summary>Display names of the V4 opcodes: the names of the reference op table, which the golden node dumps use.</summary>
internal static class V4OpNames
{
    public static string Of(uint opCode) => (V4OpCode)opCode switch
    {
        V4OpCode.Binary => "Binary",
        V4OpCode.Concat => "Concat",
        V4OpCode.Conv2D => "Conv2D",
        V4OpCode.Dequantize => "Dequantize",
        V4OpCode.MatMul => "MatMul",
        V4OpCode.Pad => "Pad",
        V4OpCode.Quantize => "Quantize",
        V4OpCode.Reduce => "Reduce",
        V4OpCode.ReduceWindow2D => "ReduceWindow2D",
        V4OpCode.MemoryCopy => "MemoryCopy",
        V4OpCode.ResizeImage => "ResizeImage",
        V4OpCode.Softmax => "Softmax",
        V4OpCode.Transpose => "Transpose",
        V4OpCode.StridedSlice => "StridedSlice",
        V4OpCode.Unary => "Unary",
        V4OpCode.QuantizedConv2D => "QuantizedConv2D",
        V4OpCode.QuantizedMatMul => "QuantizedMatMul",
        V4OpCode.QuantizedBinary => "QuantizedBinary",
        V4OpCode.TableLookup1D => "TableLookup1D",

        // The reference table labels 0x13 "QuantizedBinary" by mistake; the op is conv2d_transpose.
        V4OpCode.Conv2DTranspose => "Conv2DTranspose",
        V4OpCode.NnilUnaryMethod => "NNILUnaryMethod",
        V4OpCode.CpuConv2D => "CPUConv2D",
        V4OpCode.CpuDepthwiseConv2D => "CPUDepthwiseConv2D",
        V4OpCode.CpuReduceWindow2D => "CPUReduceWindow2D",
        V4OpCode.CpuQuantizedConv2D => "CPUQuantizedConv2D",
        V4OpCode.CpuQuantizedDepthwiseConv2D => "CPUQuantizedDepthwiseConv2D",
        V4OpCode.KpuUpload => "KPUUpload",
        V4OpCode.KpuConv2D => "KPUConv2D",
        _ => "unknown",
    };
}
