namespace K210Kpu.Tests;

/// <summary>
/// Where test data lives: tests/Data (vendored, always present) and the shared corpus, found as ../shared relative to
/// the repository root (the directory holding K210Kpu.slnx), or at $K210KPU_SHARED when that is set.
/// </summary>
internal static class TestFiles
{
    public const string SharedMissing = "../shared (models and goldens) is not present next to the repository; set K210KPU_SHARED to use it elsewhere";

    public static string RepoRoot { get; } = FindRoot();

    public static string? SharedDir { get; } = FindShared();

    public static string DataDir => Path.Combine(RepoRoot, "tests", "Data");

    /// <summary>A model by file stem: tests/Data/models first, then the shared corpus; null when neither has it.</summary>
    public static string? Model(string stem)
    {
        string vendored = Path.Combine(DataDir, "models", stem + ".kmodel");
        if (File.Exists(vendored))
        {
            return vendored;
        }

        string? shared = SharedDir is null ? null : Path.Combine(SharedDir, "models", stem + ".kmodel");
        return shared is not null && File.Exists(shared) ? shared : null;
    }

    /// <summary>A shared model that must exist (use in shared-only tests).</summary>
    public static string SharedModel(string stem) => Path.Combine(SharedDir ?? throw new InvalidOperationException(SharedMissing), "models", stem + ".kmodel");

    /// <summary>Golden cases under <paramref name="goldenRoot"/> whose model stem satisfies <paramref name="modelFilter"/>: (model, case, directory).</summary>
    public static IEnumerable<(string Model, string Case, string Dir)> Cases(string? goldenRoot, Func<string, bool> modelFilter)
    {
        if (goldenRoot is null || !Directory.Exists(goldenRoot))
        {
            yield break;
        }

        foreach (string modelDir in Directory.GetDirectories(goldenRoot).Order(StringComparer.Ordinal))
        {
            string model = Path.GetFileName(modelDir);
            if (!modelFilter(model))
            {
                continue;
            }

            foreach (string caseDir in Directory.GetDirectories(modelDir).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(caseDir, "input.bin")))
                {
                    yield return (model, Path.GetFileName(caseDir), caseDir);
                }
            }
        }
    }

    /// <summary>A path inside the shared corpus (the caller checked <see cref="SharedDir"/>, e.g. with <see cref="SharedFactAttribute"/>).</summary>
    public static string Shared(params string[] parts) => Path.Combine([SharedDir ?? throw new InvalidOperationException(SharedMissing), .. parts]);

    /// <summary>A path inside the repository.</summary>
    public static string Repo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    public static string VendoredGolden => Path.Combine(DataDir, "golden");

    public static string? SharedGolden => SharedDir is null ? null : Path.Combine(SharedDir, "golden");

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "K210Kpu.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("K210Kpu.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string? FindShared()
    {
        string? env = Environment.GetEnvironmentVariable("K210KPU_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return Path.GetFullPath(env);
        }

        string candidate = Path.GetFullPath(Path.Combine(FindRoot(), "..", "shared"));
        return Directory.Exists(Path.Combine(candidate, "golden")) ? candidate : null;
    }
}
