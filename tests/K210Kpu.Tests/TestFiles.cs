namespace K210Kpu.Tests;

/// <summary>Locates the repository root and the shared material (../shared) next to it.</summary>
public static class TestFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "K210Kpu.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("K210Kpu.slnx not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root (the folder holding K210Kpu.slnx).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>
    /// The shared folder: ../shared from the repository root (or, for a checkout nested deeper, the first
    /// "shared" folder beside an ancestor), or null when absent.
    /// </summary>
    public static string? SharedDir
    {
        get
        {
            for (string? dir = Path.GetDirectoryName(RepoRoot); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                string candidate = Path.Combine(dir, "shared");
                if (Directory.Exists(Path.Combine(candidate, "golden")))
                {
                    return candidate;
                }
            }

            return null;
        }
    }

    /// <summary>A path inside ../shared (the caller checked <see cref="SharedDir"/>).</summary>
    public static string Shared(params string[] parts) => Path.Combine([SharedDir ?? throw new InvalidOperationException("../shared is absent"), .. parts]);

    /// <summary>A path inside the repository.</summary>
    public static string Repo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);
}

/// <summary>A fact that is skipped (with a reason) when ../shared is absent.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (TestFiles.SharedDir is null)
        {
            Skip = "../shared is absent next to the repository";
        }
    }
}

/// <summary>A theory that is skipped (with a reason) when ../shared is absent.</summary>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute()
    {
        if (TestFiles.SharedDir is null)
        {
            Skip = "../shared is absent next to the repository";
        }
    }
}
