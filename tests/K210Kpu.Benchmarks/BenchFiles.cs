namespace K210Kpu.Benchmarks;

/// <summary>Finds models: tests/Data/models, then the shared corpus (K210KPU_SHARED or ../shared next to the repository).</summary>
internal static class BenchFiles
{
    public static string? Model(string stem)
    {
        string root = FindRoot();
        string vendored = Path.Combine(root, "tests", "Data", "models", stem + ".kmodel");
        if (File.Exists(vendored))
        {
            return vendored;
        }

        string? env = Environment.GetEnvironmentVariable("K210KPU_SHARED");
        string shared = !string.IsNullOrEmpty(env) ? env : Path.Combine(root, "..", "shared");
        string path = Path.Combine(shared, "models", stem + ".kmodel");
        return File.Exists(path) ? path : null;
    }

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "K210Kpu.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? Directory.GetCurrentDirectory();
    }
}
