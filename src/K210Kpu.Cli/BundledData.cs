namespace K210Kpu.Cli;

/// <summary>The bundled default model and picture (the repository's data/ folder, copied next to the tool).</summary>
internal static class BundledData
{
    public const string FaceModel = "models/maixpy_face_yolo2_v3.kmodel";
    public const string FacePicture = "images/astronaut_face_320x240.png";

    /// <summary>MaixPy's demo anchors for the face model (demo_find_face.py), in grid cells.</summary>
    public static readonly float[] FaceAnchors = [1.889f, 2.5245f, 2.9465f, 3.94056f, 3.99987f, 5.3658f, 5.155437f, 6.92275f, 6.718375f, 9.01025f];

    public static string Find(string relative)
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "data", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw CliException.Usage($"the bundled file data/{relative} was not found next to the tool; give the path explicitly");
    }
}
