namespace K210Kpu.Tests;

/// <summary>
/// Finds the shared test material: ../shared relative to the repository root (the folder holding K210Kpu.slnx),
/// or the folder named by the K210KPU_SHARED environment variable when set (for checkouts that live elsewhere).
/// </summary>
internal static class TestFiles
{
    private static readonly Lazy<string?> SharedDirectory = new(FindShared);

    /// <summary>The shared folder, or null when it is absent.</summary>
    public static string? Shared => SharedDirectory.Value;

    /// <summary>Full path of a model in ../shared/models, or null when absent.</summary>
    public static string? Model(string fileName) => Existing(Shared is null ? null : Path.Combine(Shared, "models", fileName));

    /// <summary>Full path of a file under ../shared, or null when absent.</summary>
    public static string? SharedFile(string relativePath) => Existing(Shared is null ? null : Path.Combine(Shared, relativePath));

    private static string? Existing(string? path) => path is not null && File.Exists(path) ? path : null;

    private static string? FindShared()
    {
        string? overridden = Environment.GetEnvironmentVariable("K210KPU_SHARED");
        if (!string.IsNullOrEmpty(overridden))
        {
            return Directory.Exists(overridden) ? Path.GetFullPath(overridden) : null;
        }

        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "K210Kpu.slnx")))
            {
                string shared = Path.GetFullPath(Path.Combine(d.FullName, "..", "shared"));
                return Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}
