namespace K210Kpu.Maix;

/// <summary>One file to put in a kfpkg package (see <see cref="FlashPack.WriteKfpkg(Stream, IEnumerable{KfpkgFile})"/>).</summary>
/// <param name="Address">Flash byte address kflash writes the file to.</param>
/// <param name="Name">File name inside the package (the manifest's <c>"bin"</c>).</param>
/// <param name="Data">The bytes, as they should land in flash (models: raw; firmware: see <paramref name="Sha256Prefix"/>).</param>
/// <param name="Sha256Prefix">True for kflash's firmware form (AES flag, length and SHA-256 added when flashing); false for models.</param>
public sealed record KfpkgFile(int Address, string Name, ReadOnlyMemory<byte> Data, bool Sha256Prefix = false);
