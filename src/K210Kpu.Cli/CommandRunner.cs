using System.CommandLine;

namespace K210Kpu.Cli;

/// <summary>Runs a command body and maps every failure to one line on stderr and its exit code.</summary>
internal static class CommandRunner
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print the stack trace of errors",
        Recursive = true,
    };

    public static int Run(ParseResult parse, Func<int> body)
    {
        bool verbose = parse.GetValue(Verbose);
        try
        {
            return body();
        }
        catch (Exception ex)
        {
            (int code, string prefix) = Classify(ex);
            Console.Error.WriteLine($"kpu: {prefix}{OneLine(ex.Message)}");
            if (verbose)
            {
                Console.Error.WriteLine(ex.ToString());
            }

            return code;
        }
    }

    internal static (int Code, string Prefix) Classify(Exception ex) => ex switch
    {
        CliException c => (c.ExitCode, c.ExitCode == ExitCodes.BadModel ? "bad model: " : string.Empty),
        K210Kpu.Maix.MaixPyException mp => ((int)mp.Code is >= 2001 and <= 2015 ? ExitCodes.BadModel : ExitCodes.RuntimeFailure, string.Empty),
        ArgumentException => (ExitCodes.Usage, string.Empty),
        KModelException => (ExitCodes.BadModel, "bad model: "),
        KpuRuntimeException => (ExitCodes.RuntimeFailure, string.Empty),
        OperationCanceledException => (ExitCodes.RuntimeFailure, "cancelled: "),
        OutOfMemoryException => (ExitCodes.RuntimeFailure, "out of memory: "),
        IOException or UnauthorizedAccessException => (ExitCodes.RuntimeFailure, "i/o error: "),
        _ => (ExitCodes.RuntimeFailure, $"{ex.GetType().Name}: "),
    };

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();

    /// <summary>Loads a model file, turning a missing file into a usage error and unreadable bytes into a model error.</summary>
    public static KModel LoadModel(string path)
    {
        if (!File.Exists(path))
        {
            throw CliException.Usage($"model file not found: {path}");
        }

        try
        {
            return KModel.Load(path);
        }
        catch (KModelException ex)
        {
            throw new CliException(ExitCodes.BadModel, $"{Path.GetFileName(path)}: {ex.Message}", ex);
        }
    }
}
