using BenchmarkDotNet.Running;

namespace K210Kpu.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project tests/K210Kpu.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
