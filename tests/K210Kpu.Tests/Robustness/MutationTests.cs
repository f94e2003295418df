using System.Diagnostics;
using K210Kpu.Fuzz;

namespace K210Kpu.Tests.Robustness;

/// <summary>
/// Seeded mutants of every real model (vendored and shared) go through KModel.Load and, for the small models, one run
/// with a timeout: only the library's typed errors may come out, and no case may take long.
/// </summary>
public sealed class MutationTests
{
    private const int MutantsPerModel = 90;
    private const int RunEvery = 6;
    private const long SmallModelBytes = 320_000;

    public static TheoryData<string> Seeds()
    {
        var data = new TheoryData<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<string> dirs = [Path.Combine(TestFiles.DataDir, "models"), .. TestFiles.SharedDir is null ? [] : new[] { Path.Combine(TestFiles.SharedDir, "models") }];
        foreach (string dir in dirs.Where(Directory.Exists))
        {
            foreach (string f in Directory.GetFiles(dir).Where(f => f.EndsWith(".kmodel", StringComparison.Ordinal) || f.EndsWith(".kfpkg", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                if (seen.Add(Path.GetFileName(f)))
                {
                    data.Add(f);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutants_RaiseOnlyTypedErrors(string seedPath)
    {
        byte[] seed = File.ReadAllBytes(seedPath);
        var rng = new Random(Stable(Path.GetFileName(seedPath)));
        bool small = seed.Length <= SmallModelBytes;
        var failures = new List<string>();
        for (int i = 0; i < MutantsPerModel; i++)
        {
            (byte[] mutant, string how) = Mutator.Mutate(rng, seed);
            long t0 = Stopwatch.GetTimestamp();
            try
            {
                if (small && i % RunEvery == 0)
                {
                    FuzzTarget.RunTimeout = TimeSpan.FromSeconds(2);
                    FuzzTarget.Execute(mutant);
                }
                else if (mutant.Length >= 2 && mutant[0] == (byte)'P' && mutant[1] == (byte)'K')
                {
                    FuzzTarget.Execute(mutant);
                }
                else
                {
                    LoadOnly(mutant);
                }
            }
            catch (Exception ex)
            {
                failures.Add($"mutant {i} ({how}): {ex.GetType().Name}: {ex.Message} {ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            }

            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (seconds > 10)
            {
                failures.Add($"mutant {i} ({how}) took {seconds:0.0} s");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static void LoadOnly(byte[] bytes)
    {
        try
        {
            KModel m = KModel.Load(bytes);
            foreach (LayerDescriptor l in m.Layers)
            {
                _ = l.Name;
            }
        }
        catch (KModelException)
        {
        }
    }

    private static int Stable(string s)
    {
        int h = 17;
        foreach (char c in s)
        {
            h = unchecked((h * 31) + c);
        }

        return h;
    }
}
