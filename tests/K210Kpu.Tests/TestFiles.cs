namespace K210Kpu.Tests;

/// <summary>
/// Locates test data: the repository root (the directory holding K210Kpu.slnx), tests/Data inside it, and the shared
/// material at ../shared next to the repository (absent on machines without it: tests needing it are skipped).
/// </summary>
public static class TestFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>tests/Data.</summary>
    public static string DataDir => Path.Combine(RepoRoot, "tests", "Data");

    /// <summary>
    /// ../shared relative to the repository root, or null when it does not exist. A checkout elsewhere (e.g. a git
    /// worktree) can point at it with the environment variable K210KPU_SHARED.
    /// </summary>
    public static string? SharedDir
    {
        get
        {
            string dir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            if (Directory.Exists(dir))
            {
                return dir;
            }

            string? env = Environment.GetEnvironmentVariable("K210KPU_SHARED");
            return !string.IsNullOrEmpty(env) && Directory.Exists(env) ? Path.GetFullPath(env) : null;
        }
    }

    /// <summary>Why shared-material tests are skipped, or null when ../shared is present.</summary>
    public static string? SharedSkipReason =>
        SharedDir is null ? $"../shared (models and goldens) not found next to {RepoRoot}" : null;

    /// <summary>Path of a file under ../shared (call only when <see cref="SharedDir"/> is not null).</summary>
    public static string Shared(params string[] parts) =>
        Path.Combine([SharedDir ?? throw new InvalidOperationException(SharedSkipReason), .. parts]);

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir, "K210Kpu.slnx")))
            {
                return dir;
            }

            dir = Path.GetDirectoryName(dir);
        }

        throw new InvalidOperationException("K210Kpu.slnx not found above " + AppContext.BaseDirectory);
    }
}
