using K210Kpu.Analysis;
using K210Kpu.Scripting;

namespace K210Kpu.Tests.Scripting;

/// <summary>The MicroPython stand-ins, the file systems, the simulated clock and how runs end.</summary>
[Collection("Kpu")]
public sealed class ScriptRuntimeTests
{
    private static readonly string Picture = TestFiles.Repo("data", "images", "astronaut_face_320x240.png");

    [PythonFact]
    public void Stand_ins_and_image_routines_work_as_on_the_board()
    {
        using var dir = new TempDir();
        string lcd = Path.Combine(dir.Path, "lcd");
        (ScriptResult result, string output) = ScriptFixture.Run(ScriptFixture.Script("stand_ins.py"), new ScriptOptions
        {
            Frames = [Picture, Picture],
            LcdOutput = lcd,
        });

        string[] lines = ScriptFixture.Lines(output);
        Assert.Equal("cwd /flash mem True const 3", lines[0]);
        Assert.Equal("listdir True", lines[1]);
        Assert.Equal(2, lines.Count(l => l == "pixel (255, 255, 255) (255, 0, 0)"));
        Assert.Equal(2, lines.Count(l => l == "sizes 112 112 True 32"));
        Assert.Equal(2, lines.Count(l => l == "positional (0, 255, 0) (255, 255, 0)"));
        Assert.Equal(2, lines.Count(l => l.StartsWith("fps ", StringComparison.Ordinal) && l.EndsWith("diff True", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l == "ValueError: caught"));
        Assert.Equal(2, result.Frames);
        Assert.Equal("end of frames", result.EndReason);
        Assert.Equal(2, Directory.GetFiles(lcd, "*.png").Length);
    }

    [PythonFact]
    public void The_clock_moves_by_sleeps_frames_and_the_latency_estimate()
    {
        using var dir = new TempDir();
        string script = Path.Combine(dir.Path, "clock.py");
        File.WriteAllText(script, string.Join('\n',
            "import time, utime, sensor, KPU as kpu",
            "t = time.ticks_ms()",
            "time.sleep_ms(250)",
            "utime.sleep(0.5)",
            "print('slept', time.ticks_diff(time.ticks_ms(), t))",
            "task = kpu.load('/sd/maixpy_face_yolo2_v3.kmodel')",
            "img = sensor.snapshot()",
            "t = time.ticks_us()",
            "kpu.forward(task, img)",
            "print('kpu', time.ticks_us() - t)",
            "c = time.clock()",
            "c.tick()",
            "print('fps', c.fps() > 0)",
            ""));
        (ScriptResult result, string output) = ScriptFixture.Run(script, new ScriptOptions
        {
            Frames = [ScriptFixture.GoldenInput("maixpy_face_yolo2_v3", "astronaut")],
            SdDirectory = ScriptFixture.ModelsDir,
        });

        long expectedUs = (long)Math.Round(LatencyEstimator.Estimate(KModel.Load(ScriptFixture.Model("maixpy_face_yolo2_v3"))).TotalMilliseconds * 1000);
        Assert.Equal(["slept 750", $"kpu {expectedUs}", "fps True"], ScriptFixture.Lines(output));
        Assert.Equal("finished", result.EndReason);
        Assert.True(result.SimulatedTime >= TimeSpan.FromMilliseconds(750));
    }

    [PythonFact]
    public void Max_frames_ends_the_camera_loop()
    {
        using var dir = new TempDir();
        string script = Path.Combine(dir.Path, "loop.py");
        File.WriteAllText(script, "import sensor\nn = 0\nwhile True:\n    img = sensor.snapshot()\n    n += 1\n    print(n)\n");
        (ScriptResult result, string output) = ScriptFixture.Run(script, new ScriptOptions { Frames = [Picture, Picture, Picture], MaxFrames = 2 });
        Assert.Equal(["1", "2"], ScriptFixture.Lines(output));
        Assert.Equal(2, result.Frames);
        Assert.Equal("max frames", result.EndReason);
    }

    [PythonFact]
    public void Sd_and_flash_paths_map_to_folders_and_except_does_not_catch_the_end()
    {
        using var sd = new TempDir();
        using var flash = new TempDir();
        File.WriteAllText(Path.Combine(sd.Path, "labels.txt"), "cat\ndog\n");
        string script = Path.Combine(sd.Path, "main.py");
        File.WriteAllText(script, string.Join('\n',
            "import os, sensor, sys",
            "print(os.getcwd(), sorted(os.listdir('/')))",
            "with open('labels.txt') as f:",
            "    print(f.read().split())",
            "with open('/flash/out.txt', 'w') as f:",
            "    f.write('written')",
            "print('labels.txt' in os.listdir('/sd'), os.stat('/flash/out.txt')[6])",
            "try:",
            "    open('/nowhere/x')",
            "except OSError as e:",
            "    print('OSError', e.args[0])",
            "while True:",
            "    try:",
            "        img = sensor.snapshot()",
            "    except Exception as e:",
            "        print('swallowed', e)",
            "    print('frame')",
            ""));
        (ScriptResult result, string output) = ScriptFixture.Run(script, new ScriptOptions
        {
            Frames = [Picture],
            SdDirectory = sd.Path,
            FlashFsDirectory = flash.Path,
        });

        Assert.Equal(["/sd ['flash', 'sd']", "['cat', 'dog']", "True 7", "OSError 2", "frame"], ScriptFixture.Lines(output));
        Assert.Equal("written", File.ReadAllText(Path.Combine(flash.Path, "out.txt")));
        Assert.Equal("end of frames", result.EndReason);
    }

    [PythonFact]
    public void A_script_that_only_sleeps_ends_after_a_simulated_day()
    {
        using var dir = new TempDir();
        string script = Path.Combine(dir.Path, "wait.py");
        File.WriteAllText(script, "import time\nwhile True:\n    time.sleep(60)\n");
        (ScriptResult result, _) = ScriptFixture.Run(script, new ScriptOptions());
        Assert.Equal("simulated time limit (24 h)", result.EndReason);
    }

    [PythonFact]
    public void Runs_leave_the_interpreter_as_they_found_it()
    {
        using var dir = new TempDir();
        string script = Path.Combine(dir.Path, "t.py");
        File.WriteAllText(script, "import time\nprint(hasattr(time, 'ticks_ms'))\nimport sys\nsys.exit()\nprint('not reached')\n");
        (ScriptResult first, string out1) = ScriptFixture.Run(script, new ScriptOptions());
        (_, string out2) = ScriptFixture.Run(script, new ScriptOptions());
        Assert.Equal(["True"], ScriptFixture.Lines(out1));
        Assert.Equal(["True"], ScriptFixture.Lines(out2));
        Assert.Equal("sys.exit", first.EndReason);

        using (Python.Runtime.Py.GIL())
        {
            using var time = Python.Runtime.Py.Import("time");
            Assert.False(time.HasAttr("ticks_ms"));
        }
    }
}
