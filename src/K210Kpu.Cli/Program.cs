namespace K210Kpu.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("kpu: commands land with the CLI work");
        return 1;
    }
}
