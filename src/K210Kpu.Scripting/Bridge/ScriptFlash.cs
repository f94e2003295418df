using System.Globalization;
using System.Text.RegularExpressions;
using K210Kpu.Maix;

namespace K210Kpu.Scripting.Bridge;

/// <summary>Writes <c>--flash</c> arguments into the emulated flash: kfpkg packages, or raw files named <c>NAME@0xADDR.ext</c>.</summary>
internal static partial class ScriptFlash
{
    public static void Add(Flash flash, string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"flash package not found: {path}", path);
        }

        Match raw = RawName().Match(Path.GetFileName(path));
        if (raw.Success)
        {
            flash.Write(int.Parse(raw.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), File.ReadAllBytes(path));
            return;
        }

        flash.WriteKfpkg(path);
    }

    [GeneratedRegex(@"@0x([0-9A-Fa-f]{1,7})\.[A-Za-z0-9]+$")]
    private static partial Regex RawName();
}
