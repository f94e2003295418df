using System.Diagnostics;
using System.Globalization;
using SharpFuzz;

namespace K210Kpu.Fuzz;

/// <summary>
/// Fuzzing entry points. <c>afl</c>: SharpFuzz under afl-fuzz (instrument K210Kpu.dll with <c>sharpfuzz</c> first);
/// <c>libfuzzer</c>: SharpFuzz under a libFuzzer driver; <c>mutate</c>: an in-process mutation campaign over seed
/// files with a per-case watchdog; <c>replay FILE...</c>: runs saved cases. See docs/fuzzing.md.
/// </summary>
public static class Program
{
    private static readonly TimeSpan s_caseLimit = TimeSpan.FromSeconds(10);

    /// <summary>Dispatches on the first argument.</summary>
    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "help";
        switch (mode)
        {
            case "afl":
                FuzzTarget.RunTimeout = TimeSpan.FromSeconds(2);
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var ms = new MemoryStream();
                    stream.CopyTo(ms);
                    FuzzTarget.Execute(ms.ToArray());
                });
                return 0;
            case "libfuzzer":
                Fuzzer.LibFuzzer.Run(span => FuzzTarget.Execute(span.ToArray()));
                return 0;
            case "mutate":
                return Mutate(args.Skip(1).ToArray());
            case "replay":
                int bad = 0;
                foreach (string f in args.Skip(1))
                {
                    try
                    {
                        Console.WriteLine($"{f}: {FuzzTarget.Execute(File.ReadAllBytes(f))}");
                    }
                    catch (Exception ex)
                    {
                        bad++;
                        Console.WriteLine($"{f}: CRASH {ex}");
                    }
                }

                return bad == 0 ? 0 : 1;
            default:
                Console.Error.WriteLine("usage: K210Kpu.Fuzz afl | libfuzzer | mutate [--seeds DIR] [--seconds N] [--count N] [--seed N] [--findings DIR] [--run-timeout S] | replay FILE...");
                return 1;
        }
    }

    private static int Mutate(string[] args)
    {
        string seedsDir = Opt(args, "--seeds") ?? "../shared/models";
        double seconds = double.Parse(Opt(args, "--seconds") ?? "60", CultureInfo.InvariantCulture);
        long count = long.Parse(Opt(args, "--count") ?? "0", CultureInfo.InvariantCulture);
        int seed = int.Parse(Opt(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
        string findings = Opt(args, "--findings") ?? "out/fuzz-findings";
        FuzzTarget.RunTimeout = TimeSpan.FromSeconds(double.Parse(Opt(args, "--run-timeout") ?? "5", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(findings);
        byte[][] seeds = Directory.EnumerateFiles(seedsDir)
            .Where(f => f.EndsWith(".kmodel", StringComparison.Ordinal) || f.EndsWith(".kfpkg", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        if (seeds.Length == 0)
        {
            Console.Error.WriteLine($"no .kmodel or .kfpkg seeds in {seedsDir}");
            return 1;
        }

        var rng = new Random(seed);
        var outcomes = new Dictionary<string, long>();
        long execs = 0, crashes = 0;
        double slowest = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds && (count == 0 || execs < count))
        {
            byte[] parent = seeds[rng.Next(seeds.Length)];
            (byte[] mutant, string how) = Mutator.Mutate(rng, parent);
            string outcome = "ok";
            Exception? crash = null;
            long t0 = Stopwatch.GetTimestamp();
            var worker = new Thread(() =>
            {
                try
                {
                    outcome = FuzzTarget.Execute(mutant);
                }
                catch (Exception ex)
                {
                    crash = ex;
                }
            }, 64 << 20);
            worker.Start();
            if (!worker.Join(s_caseLimit))
            {
                string hang = Path.Combine(findings, $"hang-{execs}-{how}.bin");
                File.WriteAllBytes(hang, mutant);
                Console.Error.WriteLine($"hang over {s_caseLimit.TotalSeconds} s: {hang}");
                return 2;
            }

            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            slowest = Math.Max(slowest, ms);
            execs++;
            if (crash is not null)
            {
                crashes++;
                string file = Path.Combine(findings, $"crash-{execs}-{how}.bin");
                File.WriteAllBytes(file, mutant);
                Console.Error.WriteLine($"{file}: {crash.GetType().Name}: {crash.Message}");
                Console.Error.WriteLine(crash.StackTrace?.Split('\n').FirstOrDefault()?.Trim());
                outcome = "crash";
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        string tally = string.Join(", ", outcomes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{execs} executions in {clock.Elapsed.TotalSeconds:0} s, {crashes} crashes, slowest {slowest:0} ms, peak working set {peak >> 20} MiB; {tally}"));
        return crashes == 0 ? 0 : 1;
    }

    private static string? Opt(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
