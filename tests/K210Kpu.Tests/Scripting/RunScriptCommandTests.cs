using System.Diagnostics;
using K210Kpu.Tests.Cli;

namespace K210Kpu.Tests.Scripting;

/// <summary><c>kpu run-script</c> from the command line.</summary>
public sealed class RunScriptCommandTests
{
    [PythonFact]
    public void Runs_a_script_and_reports_frames_detections_and_time()
    {
        KpuProcess.Result r = KpuProcess.Run(
            "run-script", ScriptFixture.Script("voc_yolo2.py"),
            "--sd", ScriptFixture.ModelsDir,
            "--frames", ScriptFixture.GoldenInput("sdk_voc20_yolo2_v3", "image"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(4, r.StdOut.Split('\n').Count(l => l.StartsWith("{\"x\":", StringComparison.Ordinal)));
        Assert.Contains("kpu: 1 frame(s), 4 detection(s), 1 model run(s)", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("ended: end of frames", r.StdErr, StringComparison.Ordinal);
    }

    [PythonFact]
    public void A_failing_script_prints_its_traceback_and_exits_3()
    {
        KpuProcess.Result r = KpuProcess.Run("run-script", ScriptFixture.Script("face_yolo2_seed.py"), "--frames", ScriptFixture.GoldenInput("maixpy_face_yolo2_v3", "astronaut"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("face_yolo2_seed.py\", line 11", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("kpu: script failed after 0 frame(s): ValueError: [MAIXPY]kpu: load error:2002, ERR_KMODEL_VERSION: only support kmodel V3/V4 now", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("pass the model's package with --flash", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_script_is_a_usage_error()
    {
        KpuProcess.Result r = KpuProcess.Run("run-script", "/nonexistent/main.py");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("kpu: script not found: /nonexistent/main.py", r.StdErr.Trim());
    }

    [Fact]
    public async Task Without_libpython_it_says_what_to_install()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "kpu.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("run-script");
        psi.ArgumentList.Add(ScriptFixture.Script("stand_ins.py"));
        psi.Environment["PYTHONNET_PYDLL"] = "/nonexistent/libpython3.11.so.1.0";
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        _ = await stdout;
        Assert.Equal(3, p.ExitCode);
        Assert.Contains("apt-get install -y libpython3.11", stderr, StringComparison.Ordinal);
    }
}
