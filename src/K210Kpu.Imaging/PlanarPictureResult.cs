namespace K210Kpu.Imaging;

/// <summary>A picture converted to planar model input.</summary>
/// <param name="Data">uint8 planes, CHW.</param>
/// <param name="SourceWidth">Width of the picture as decoded.</param>
/// <param name="SourceHeight">Height of the picture as decoded.</param>
/// <param name="Resized">True when the picture was resized to the model's input size.</param>
public sealed record PlanarPictureResult(byte[] Data, int SourceWidth, int SourceHeight, bool Resized);
