namespace K210Kpu.Imaging;

/// <summary>Placeholder until the imaging adapters land.</summary>
internal static class ImageFiles
{
}
