using System.CommandLine;
using K210Kpu.Cli.Commands;

namespace K210Kpu.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("kpu: run Kendryte K210 models (kmodel V3, V4, legacy) bit-exactly on an emulated KPU")
        {
            InfoCommand.Create(),
            RunCommand.Create(),
            BenchCommand.Create(),
            DetectCommand.Create(),
            FmapCommand.Create(),
            CheckCommand.Create(),
            ReportCommand.Create(),
            RunScriptCommand.Create(),
            FlashPackCommand.Create(),
        };
        root.Options.Add(CommandRunner.Verbose);
        return root.Parse(args).Invoke();
    }
}
