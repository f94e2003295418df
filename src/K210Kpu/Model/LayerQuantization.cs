namespace K210Kpu;

/// <summary>
/// The quantization a legacy (V1) model stores per layer: real value = <c>u8 · scale + bias</c> for the layer's input and
/// output. The runtime does not apply it; the consumer dequantizes the raw uint8 output with the last layer's
/// <see cref="OutputScale"/> and <see cref="OutputBias"/> (legacy-v1 §3, §6).
/// </summary>
/// <param name="InputScale">Scale of the layer's input codes (informational).</param>
/// <param name="InputBias">Bias of the layer's input codes (informational).</param>
/// <param name="OutputScale">Scale of the layer's output codes.</param>
/// <param name="OutputBias">Bias of the layer's output codes.</param>
public sealed record LayerQuantization(float InputScale, float InputBias, float OutputScale, float OutputBias)
{
    /// <summary>Dequantizes one output code: <c>code · OutputScale + OutputBias</c>, rounded twice (no fused multiply-add).</summary>
    public float Dequantize(byte code) => (code * OutputScale) + OutputBias;
}
