namespace K210Kpu.Maix;

/// <summary>One file of a kfpkg package as written to flash.</summary>
/// <param name="Address">Flash byte address.</param>
/// <param name="Name">File name inside the package.</param>
/// <param name="Length">Bytes written (with the kflash prefix and digest when <paramref name="Sha256Prefix"/>), before the zero fill to the end of the last 4 KiB sector.</param>
/// <param name="Sha256Prefix">True when written in kflash's firmware form: 1-byte AES flag (0), u32 LE length, data, SHA-256 of those.</param>
public sealed record FlashEntry(int Address, string Name, int Length, bool Sha256Prefix);
