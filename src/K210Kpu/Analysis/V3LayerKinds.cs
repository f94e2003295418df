namespace K210Kpu.Analysis;

/// <summary>
/// kmodel V3 layer type ids (<c>kpu_model_layer_type_t</c>, kpu-and-kmodel-v3 §4.6) and what the standalone SDK's
/// <c>kpu.c</c> does with each: the SDK's <c>ai_step</c> implements a subset and aborts with
/// <c>assert(!"Layer is not supported.")</c> on the rest (kpu-and-kmodel-v3 §4.7, §5.1).
/// </summary>
internal static class V3LayerKinds
{
    public const uint Add = 1;
    public const uint QuantizedAdd = 2;
    public const uint GlobalMaxPool2D = 3;
    public const uint QuantizedGlobalMaxPool2D = 4;
    public const uint GlobalAveragePool2D = 5;
    public const uint QuantizedGlobalAveragePool2D = 6;
    public const uint MaxPool2D = 7;
    public const uint QuantizedMaxPool2D = 8;
    public const uint AveragePool2D = 9;
    public const uint QuantizedAveragePool2D = 10;
    public const uint Quantize = 11;
    public const uint Dequantize = 12;
    public const uint Requantize = 13;
    public const uint L2Normalization = 14;
    public const uint Softmax = 15;
    public const uint Concat = 16;
    public const uint QuantizedConcat = 17;
    public const uint FullyConnected = 18;
    public const uint QuantizedFullyConnected = 19;
    public const uint TensorflowFlatten = 20;
    public const uint QuantizedTensorflowFlatten = 21;
    public const uint ResizeNearestNeighbor = 22;
    public const uint QuantizedResizeNearestNeighbor = 23;
    public const uint ChannelwiseDequantize = 24;
    public const uint Logistic = 25;
    public const uint K210Conv = 10240;
    public const uint K210AddPadding = 10241;
    public const uint K210RemovePadding = 10242;
    public const uint K210Upload = 10243;

    /// <summary>The <c>KL_*</c> name of a type id, or null when the id is not in the table.</summary>
    public static string? Name(uint type) => type switch
    {
        0 => "INVALID",
        Add => "ADD",
        QuantizedAdd => "QUANTIZED_ADD",
        GlobalMaxPool2D => "GLOBAL_MAX_POOL2D",
        QuantizedGlobalMaxPool2D => "QUANTIZED_GLOBAL_MAX_POOL2D",
        GlobalAveragePool2D => "GLOBAL_AVERAGE_POOL2D",
        QuantizedGlobalAveragePool2D => "QUANTIZED_GLOBAL_AVERAGE_POOL2D",
        MaxPool2D => "MAX_POOL2D",
        QuantizedMaxPool2D => "QUANTIZED_MAX_POOL2D",
        AveragePool2D => "AVERAGE_POOL2D",
        QuantizedAveragePool2D => "QUANTIZED_AVERAGE_POOL2D",
        Quantize => "QUANTIZE",
        Dequantize => "DEQUANTIZE",
        Requantize => "REQUANTIZE",
        L2Normalization => "L2_NORMALIZATION",
        Softmax => "SOFTMAX",
        Concat => "CONCAT",
        QuantizedConcat => "QUANTIZED_CONCAT",
        FullyConnected => "FULLY_CONNECTED",
        QuantizedFullyConnected => "QUANTIZED_FULLY_CONNECTED",
        TensorflowFlatten => "TENSORFLOW_FLATTEN",
        QuantizedTensorflowFlatten => "QUANTIZED_TENSORFLOW_FLATTEN",
        ResizeNearestNeighbor => "RESIZE_NEAREST_NEIGHBOR",
        QuantizedResizeNearestNeighbor => "QUANTIZED_RESIZE_NEAREST_NEIGHBOR",
        ChannelwiseDequantize => "CHANNELWISE_DEQUANTIZE",
        Logistic => "LOGISTIC",
        K210Conv => "K210_CONV",
        K210AddPadding => "K210_ADD_PADDING",
        K210RemovePadding => "K210_REMOVE_PADDING",
        K210Upload => "K210_UPLOAD",
        _ => null,
    };

    /// <summary>True when the SDK's <c>ai_step</c> runs this type (kpu-and-kmodel-v3 §4.6, column "SDK").</summary>
    public static bool RunsOnSdk(uint type) => type switch
    {
        0 or GlobalMaxPool2D or QuantizedGlobalMaxPool2D or QuantizedGlobalAveragePool2D or MaxPool2D
            or QuantizedAveragePool2D or QuantizedFullyConnected or QuantizedTensorflowFlatten => false,
        _ => Name(type) is not null,
    };

    /// <summary>True when the SDK's <c>kpu_run_kmodel</c> accepts this type as the first layer (K210_CONV or FULLY_CONNECTED; §4.7).</summary>
    public static bool CanBeFirst(uint type) => type is K210Conv or FullyConnected;
}
