namespace K210Kpu.Cli;

/// <summary>A failure the tool reports with one line and a given exit code.</summary>
internal sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException Runtime(string message) => new(ExitCodes.RuntimeFailure, message);
}
