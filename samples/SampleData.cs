namespace K210Kpu.Samples;

/// <summary>Finds the repository's bundled data folder (data/models, data/images) and parses the samples' options.</summary>
internal static class SampleData
{
    /// <summary>The nearest "data" folder above the program holding models/maixpy_face_yolo2_v3.kmodel.</summary>
    public static string FindDataDir()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "data");
            if (File.Exists(Path.Combine(candidate, "models", "maixpy_face_yolo2_v3.kmodel")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("the bundled data folder (data/models/maixpy_face_yolo2_v3.kmodel) was not found; pass --data DIR");
    }

    /// <summary>Reads "--name value" options; unknown options are an error.</summary>
    public static Dictionary<string, string> Options(string[] args, params string[] names)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i].TrimStart('-');
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || !names.Contains(name) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"usage: [--{string.Join(" VALUE] [--", names)} VALUE]");
            }

            result[name] = args[++i];
        }

        return result;
    }
}
