using K210Kpu.Scripting;

namespace K210Kpu.Tests.Scripting;

/// <summary>Runs the scripts of tests/Data/scripts with vendored models and golden inputs as frames.</summary>
internal static class ScriptFixture
{
    public static readonly float[] FaceAnchors = [1.889f, 2.5245f, 2.9465f, 3.94056f, 3.99987f, 5.3658f, 5.155437f, 6.92275f, 6.718375f, 9.01025f];

    public static readonly float[] VocAnchors = [1.08f, 1.19f, 3.42f, 4.41f, 6.63f, 11.38f, 9.42f, 5.11f, 16.62f, 10.52f];

    public static string Script(string name) => TestFiles.Repo("tests", "Data", "scripts", name);

    public static string ModelsDir => TestFiles.Repo("tests", "Data", "models");

    public static string Model(string stem) => Path.Combine(ModelsDir, stem + ".kmodel");

    public static string GoldenInput(string model, string @case) => TestFiles.Repo("tests", "Data", "golden", model, @case, "input.bin");

    public static string GoldenOutput(string model, string @case) => TestFiles.Repo("tests", "Data", "golden", model, @case, "output_0.bin");

    /// <summary>The face model as a raw flash file at 0x300000 (what the official kfpkg writes there).</summary>
    public static string FaceFlashFile(TempDir dir)
    {
        string path = Path.Combine(dir.Path, "facedetect@0x300000.kmodel");
        File.Copy(Model("maixpy_face_yolo2_v3"), path, overwrite: true);
        return path;
    }

    public static (ScriptResult Result, string Output) Run(string script, ScriptOptions options)
    {
        var output = new StringWriter();
        var withOutput = new ScriptOptions
        {
            Frames = options.Frames,
            FlashPackages = options.FlashPackages,
            SdDirectory = options.SdDirectory,
            FlashFsDirectory = options.FlashFsDirectory,
            LcdOutput = options.LcdOutput,
            MaxFrames = options.MaxFrames,
            FallbackKpuMilliseconds = options.FallbackKpuMilliseconds,
            Output = output,
        };
        ScriptResult result = ScriptRunner.Run(script, withOutput);
        return (result, output.ToString());
    }

    public static string[] Lines(string output) =>
        output.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
