namespace K210Kpu.Maix;

/// <summary>
/// One layer as MaixPy's <c>netinfo</c> reports it (<c>kpu_netinfo_find</c>, maixpy-api §7). The shape fields come
/// from the KPU registers of convolution layers and are 0 for other layers, whose <see cref="ParaSize"/> is the
/// layer body size.
/// </summary>
/// <param name="Index">Layer index (<c>index()</c>).</param>
/// <param name="Type">Layer type: the V3 <c>KL_*</c> value (10240 = K210 conv), or the V4 opcode (<c>type()</c>).</param>
/// <param name="TypeName">MaixPy's name of the type, e.g. <c>KL_K210_CONV</c>, <c>KL_DEQUANTIZE</c> (V4: the node name).</param>
/// <param name="Wi">Input width (<c>wi()</c>).</param>
/// <param name="Hi">Input height (<c>hi()</c>).</param>
/// <param name="Wo">Output width after pooling (<c>wo()</c>).</param>
/// <param name="Ho">Output height after pooling (<c>ho()</c>).</param>
/// <param name="Chi">Input channels (<c>chi()</c>).</param>
/// <param name="Cho">Output channels (<c>cho()</c>).</param>
/// <param name="Dw">1 for a depthwise layer (<c>dw()</c>).</param>
/// <param name="KernelType">0 = 1×1, 1 = 3×3 (<c>kernel_type()</c>).</param>
/// <param name="PoolType">KPU pool type register value (<c>pool_type()</c>).</param>
/// <param name="ParaSize">Weight bytes per load for conv layers, the body size otherwise (<c>para_size()</c>).</param>
public sealed record LayerInfo(
    int Index,
    uint Type,
    string TypeName,
    int Wi,
    int Hi,
    int Wo,
    int Ho,
    int Chi,
    int Cho,
    int Dw,
    int KernelType,
    int PoolType,
    int ParaSize)
{
    /// <summary>MaixPy's print form: <c>{"index":0, "type":KL_K210_CONV, "wi":320, ...}</c>.</summary>
    public override string ToString() =>
        $"{{\"index\":{Index}, \"type\":{TypeName}, \"wi\":{Wi}, \"hi\":{Hi}, \"wo\":{Wo}, \"ho\":{Ho}, \"chi\":{Chi}, \"cho\":{Cho}, \"dw\":{Dw}, \"kernel_type\":{KernelType}, \"pool_type\":{PoolType}, \"para_size\":{ParaSize}}}";

    /// <summary>MaixPy's name for a V3 layer type (<c>KL_INVALID</c> when unknown).</summary>
    internal static string V3TypeName(uint type) => type switch
    {
        0 => "KL_INVALID",
        1 => "KL_ADD",
        2 => "KL_QUANTIZED_ADD",
        3 => "KL_GLOBAL_MAX_POOL2D",
        4 => "KL_QUANTIZED_GLOBAL_MAX_POOL2D",
        5 => "KL_GLOBAL_AVERAGE_POOL2D",
        6 => "KL_QUANTIZED_GLOBAL_AVERAGE_POOL2D",
        7 => "KL_MAX_POOL2D",
        8 => "KL_QUANTIZED_MAX_POOL2D",
        9 => "KL_AVERAGE_POOL2D",
        10 => "KL_QUANTIZED_AVERAGE_POOL2D",
        11 => "KL_QUANTIZE",
        12 => "KL_DEQUANTIZE",
        13 => "KL_REQUANTIZE",
        14 => "KL_L2_NORMALIZATION",
        15 => "KL_SOFTMAX",
        16 => "KL_CONCAT",
        17 => "KL_QUANTIZED_CONCAT",
        18 => "KL_FULLY_CONNECTED",
        19 => "KL_QUANTIZED_FULLY_CONNECTED",
        20 => "KL_TENSORFLOW_FLATTEN",
        21 => "KL_QUANTIZED_TENSORFLOW_FLATTEN",
        22 => "KL_RESIZE_NEAREST_NEIGHBOR",
        23 => "KL_QUANTIZED_RESIZE_NEAREST_NEIGHBOR",
        24 => "KL_CHANNELWISE_DEQUANTIZE",
        25 => "KL_LOGISTIC",
        10240 => "KL_K210_CONV",
        10241 => "KL_K210_ADD_PADDING",
        10242 => "KL_K210_REMOVE_PADDING",
        10243 => "KL_K210_UPLOAD",
        _ => "KL_INVALID",
    };
}
