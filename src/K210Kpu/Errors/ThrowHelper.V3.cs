using System.Diagnostics.CodeAnalysis;

namespace K210Kpu;

/// <summary>Throw sites of the V3 and legacy readers.</summary>
internal static partial class ThrowHelper
{
    [DoesNotReturn]
    public static void LayerRange(int layerIndex, string layerName, string what, long start, long length, string memory, long memoryBytes, long offset) =>
        throw new KModelValidationException(
            $"layer {layerIndex} ({layerName}): {what} [0x{start:X}, +{length}) lies outside {memory} ({memoryBytes} bytes)", layerIndex, offset);

    [DoesNotReturn]
    public static void LayerValue(int layerIndex, string layerName, string message, long offset) =>
        throw new KModelValidationException($"layer {layerIndex} ({layerName}): {message}", layerIndex, offset);
}
