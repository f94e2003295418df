using System.CommandLine;
using K210Kpu.Analysis;
using K210Kpu.Maix;

namespace K210Kpu.Cli.Commands;

/// <summary>
/// <c>kpu flash-pack MODEL --address ADDR [--byteswap] -o OUT.kfpkg [--force]</c>: writes a kfpkg that kflash burns
/// to a board, with the model as it is (for <c>kpu.load</c>) or byte-swapped per 32-bit word (for <c>kpu.load_flash</c>,
/// what <c>model_le2be.py</c> makes).
/// </summary>
internal static class FlashPackCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "kmodel file" };
        var address = new Option<string>("--address") { Description = "Flash address to write the model to (e.g. 0x600000)", Required = true };
        var byteswap = new Option<bool>("--byteswap") { Description = "Store the model byte-swapped per 32-bit word (model_le2be.py), as kpu.load_flash needs it" };
        var output = new Option<string>("--output", "-o") { Description = "The kfpkg to write", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite the output file if it exists" };
        var cmd = new Command("flash-pack", "Pack a model into a kfpkg for kflash, plain (kpu.load) or byte-swapped (kpu.load_flash)") { model, address, byteswap, output, force };
        cmd.SetAction(p => CommandRunner.Run(p, () => Execute(p.GetValue(model)!, p.GetValue(address)!, p.GetValue(byteswap), p.GetValue(output)!, p.GetValue(force), Console.Out, Console.Error)));
        return cmd;
    }

    internal static int Execute(string modelPath, string addressText, bool byteswap, string outPath, bool force, TextWriter stdout, TextWriter stderr)
    {
        KModel m = CommandRunner.LoadModel(modelPath);
        int address = RunCommand.ParseInt(addressText, "--address", 0);
        if (address <= 0)
        {
            throw CliException.Usage("--address must be > 0 (address 0 holds the boot firmware; MaixPy rejects it: \"model_addr must > 0\")");
        }

        if (Directory.Exists(outPath))
        {
            throw CliException.Usage($"--output must be a file, but {outPath} is a folder");
        }

        if (File.Exists(outPath) && !force)
        {
            throw CliException.Usage($"{outPath} exists; pass --force to overwrite it");
        }

        byte[] bytes = m.Bytes.ToArray();
        string stem = Path.GetFileNameWithoutExtension(modelPath);
        string ext = Path.GetExtension(modelPath) is { Length: > 0 } e ? e : ".kmodel";
        string name = byteswap ? $"{stem}_be{ext}" : $"{stem}{ext}";
        KfpkgFile file = FlashPack.ModelFile(bytes, address, byteswap, name);
        long end = (long)address + file.Data.Length;
        if (end > Flash.Size)
        {
            throw CliException.Usage($"{file.Data.Length} bytes at 0x{address:X} run past the end of the 16 MiB flash (0x{Flash.Size:X})");
        }

        if (address < ModelCheck.MaixPyFirmwareReservedBytes)
        {
            stderr.WriteLine($"warning: 0x{address:X} is inside MaixPy's firmware area (0x0–0x{ModelCheck.MaixPyFirmwareReservedBytes:X}); a firmware may overwrite the model");
        }

        if (end > ModelCheck.MaixPySpiffsStart)
        {
            stderr.WriteLine($"warning: the model ends at 0x{end:X}, inside MaixPy's SPIFFS file system (from 0x{ModelCheck.MaixPySpiffsStart:X}); the file system may overwrite it");
        }

        bool needsFlash = Kpu.NeedsLoadFlash(bytes.Length);
        if (byteswap && m.Format != KModelFormat.V3)
        {
            stderr.WriteLine($"warning: {m.FormatName}: MaixPy's load_flash runs kmodel V3 only (error 2002 otherwise)");
        }
        else if (!byteswap && needsFlash)
        {
            stderr.WriteLine($"warning: {bytes.Length} bytes is above the {Kpu.RealTimeModelLimitBytes}-byte real-time limit: kpu.load refuses it (ERR_NO_MEM 2006); use --byteswap and kpu.load_flash");
        }

        FlashPack.WriteKfpkg(outPath, [file], overwrite: force);
        stdout.WriteLine($"{outPath}: {name}, {file.Data.Length} B at 0x{address:X}{(byteswap ? " (byte-swapped per 32-bit word)" : string.Empty)}");
        stdout.WriteLine(byteswap
            ? $"on the board: task = kpu.load_flash(0x{address:X}, 1, 0x{RunCommand.DefaultBatchSize:X}, {RunCommand.DefaultSpiSpeed}); here: kpu run --flash {outPath} --address 0x{address:X} --load-flash --dual-buffer"
            : $"on the board: task = kpu.load(0x{address:X}); here: kpu run --flash {outPath} --address 0x{address:X}");
        return ExitCodes.Ok;
    }
}
