using System.Diagnostics.CodeAnalysis;

namespace K210Kpu;

/// <summary>
/// Central throw sites, so messages stay consistent and hot loops stay small.
/// Each area of the library adds its own methods in a partial file (ThrowHelper.V3.cs, ThrowHelper.V4.cs, ...).
/// </summary>
internal static partial class ThrowHelper
{
    [DoesNotReturn]
    public static void Truncated(string what, long offset, long needed, long fileLength) =>
        throw new KModelFormatException(
            $"{what} at 0x{offset:X} needs {needed} bytes but the file ends at 0x{fileLength:X}", offset);

    [DoesNotReturn]
    public static void Format(string message, long offset = -1) =>
        throw new KModelFormatException(message, offset);

    [DoesNotReturn]
    public static void Validation(string message, int layerIndex, long offset = -1) =>
        throw new KModelValidationException(message, layerIndex, offset);

    [DoesNotReturn]
    public static void Unsupported(uint opCode, string opName, int layerIndex, string why) =>
        throw new UnsupportedOperatorException(
            $"layer {layerIndex}: {opName} (0x{opCode:X}) {why}", opCode, opName, layerIndex);

    [DoesNotReturn]
    public static void Runtime(string message) =>
        throw new KpuRuntimeException(message);
}
