namespace K210Kpu.Cli;

/// <summary>Process exit codes of the kpu tool.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 1;
    public const int BadModel = 2;
    public const int RuntimeFailure = 3;
}
