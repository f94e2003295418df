namespace K210Kpu.Model.V4;

/// <summary>kmodel V4 <c>runtime_opcode</c> (nncase v0.2.0-beta4 <c>runtime_op.def</c>).</summary>
internal enum V4OpCode : uint
{
    Binary = 0x00,
    Concat = 0x01,
    Conv2D = 0x02,
    Dequantize = 0x03,
    MatMul = 0x04,
    Pad = 0x05,
    Quantize = 0x06,
    Reduce = 0x07,
    ReduceWindow2D = 0x08,
    MemoryCopy = 0x09,
    ResizeImage = 0x0A,
    Softmax = 0x0B,
    Transpose = 0x0C,
    StridedSlice = 0x0D,
    Unary = 0x0E,
    QuantizedConv2D = 0x0F,
    QuantizedMatMul = 0x10,
    QuantizedBinary = 0x11,
    TableLookup1D = 0x12,
    Conv2DTranspose = 0x13,
    NnilUnaryMethod = 0x14,
    CpuConv2D = 0x1001,
    CpuDepthwiseConv2D = 0x1002,
    CpuReduceWindow2D = 0x1003,
    CpuQuantizedConv2D = 0x1004,
    CpuQuantizedDepthwiseConv2D = 0x1005,
    KpuUpload = 0x2001,
    KpuConv2D = 0x2002,
}
