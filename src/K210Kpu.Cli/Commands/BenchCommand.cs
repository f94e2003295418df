using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace K210Kpu.Cli.Commands;

/// <summary>
/// <c>kpu bench MODEL [--frames N] [--threads T] [--streams S] [--scalar] [--json]</c>: warm-up, N timed frames, frames
/// per second, a per-layer time table sorted by cost, GMAC/s and bytes allocated per frame. With <c>--streams S</c>, S
/// independent interpreters run frames at the same time (one per camera or per worker, as a server would), and the
/// aggregate frames per second is reported with each stream's latency.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "kmodel file" };
        var frames = new Option<int>("--frames", "-n") { Description = "Timed frames", DefaultValueFactory = _ => 50 };
        var warmup = new Option<int?>("--warmup")
        {
            Description = "Untimed warm-up frames (default: at least 10 frames and 1.5 s, 1 frame with --scalar: the runtime compiles its optimized code during the first second or so)",
        };
        var threads = new Option<int>("--threads", "-t") { Description = "Worker threads for the fast kernels (0 = all cores)", DefaultValueFactory = _ => 0 };
        var scalar = new Option<bool>("--scalar") { Description = "Run the scalar specification kernels instead of the fast ones" };
        var peak = new Option<bool>("--peak") { Description = "Also measure this machine's int16 multiply-add peak (vpmaddwd) for comparison" };
        var streams = new Option<int>("--streams", "-s")
        {
            Description = "Independent interpreters running frames at the same time, each on its own thread (aggregate throughput)",
            DefaultValueFactory = _ => 1,
        };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var cmd = new Command("bench", "Measure how fast a model runs on this machine") { model, frames, warmup, threads, streams, scalar, peak, json };
        cmd.SetAction(p => CommandRunner.Run(p, () =>
        {
            int? warm = p.GetValue(warmup) ?? (p.GetValue(scalar) ? 1 : null);
            return p.GetValue(streams) == 1
                ? Execute(p.GetValue(model)!, p.GetValue(frames), warm, p.GetValue(threads), p.GetValue(scalar), p.GetValue(peak), p.GetValue(json))
                : ExecuteStreams(p.GetValue(model)!, p.GetValue(frames), warm, p.GetValue(threads), p.GetValue(streams), p.GetValue(scalar), p.GetValue(json));
        }));
        return cmd;
    }

    /// <summary>
    /// <paramref name="streams"/> interpreters on their own threads, started together: aggregate frames per second over the
    /// wall time of all of them, each stream's mean latency, and a check that every stream produced the same outputs.
    /// </summary>
    private static int ExecuteStreams(string modelPath, int frames, int? warmup, int threads, int streams, bool scalar, bool json)
    {
        CheckCounts(frames, warmup, threads);
        if (streams < 1 || streams > 64)
        {
            throw CliException.Usage("--streams must be between 1 and 64");
        }

        KModel m = CommandRunner.LoadModel(modelPath);
        int perStream = threads == 0 ? Math.Max(1, Environment.ProcessorCount / streams) : threads;
        byte[] input = Input(m);
        var interpreters = new Interpreter[streams];
        double[] latencyMs = new double[streams];
        long wallTicks = 0;
        try
        {
            for (int s = 0; s < streams; s++)
            {
                interpreters[s] = new Interpreter(m, new RunOptions { ForceScalar = scalar, Threads = perStream });
                interpreters[s].SetInput(0, input);
                Interpreter warming = interpreters[s];
                WarmUp(() => warming.Run(), warmup);
            }

            using var start = new Barrier(streams + 1);
            var workers = new Thread[streams];
            for (int s = 0; s < streams; s++)
            {
                int index = s;
                workers[s] = new Thread(() =>
                {
                    start.SignalAndWait();
                    long t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < frames; i++)
                    {
                        interpreters[index].Run();
                    }

                    latencyMs[index] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / frames;
                })
                {
                    IsBackground = true,
                    Name = $"kpu-bench-stream-{s}",
                };
                workers[s].Start();
            }

            start.SignalAndWait();
            long w0 = Stopwatch.GetTimestamp();
            foreach (Thread w in workers)
            {
                w.Join();
            }

            wallTicks = Stopwatch.GetTimestamp() - w0;

            // Every stream computed the same frame: their outputs must be byte-identical.
            for (int o = 0; o < m.Outputs.Count; o++)
            {
                ReadOnlySpan<byte> first = interpreters[0].GetOutput(o);
                for (int s = 1; s < streams; s++)
                {
                    if (!first.SequenceEqual(interpreters[s].GetOutput(o)))
                    {
                        throw new InvalidOperationException($"stream {s} computed a different output {o} than stream 0");
                    }
                }
            }
        }
        finally
        {
            foreach (Interpreter? i in interpreters)
            {
                i?.Dispose();
            }
        }

        double seconds = wallTicks / (double)Stopwatch.Frequency;
        double fps = streams * (double)frames / seconds;
        double gmacs = m.TotalMacs * streams * (double)frames / seconds / 1e9;
        var inv = CultureInfo.InvariantCulture;
        if (json)
        {
            var o = new JsonObject
            {
                ["model"] = Path.GetFileName(modelPath),
                ["frames"] = frames,
                ["streams"] = streams,
                ["threads_per_stream"] = perStream,
                ["scalar"] = scalar,
                ["fps"] = fps,
                ["stream_ms_per_frame"] = new JsonArray(latencyMs.Select(l => (JsonNode)JsonValue.Create(l)).ToArray()),
                ["macs_per_frame"] = m.TotalMacs,
                ["gmac_per_s"] = gmacs,
                ["outputs_identical"] = true,
            };
            Console.Out.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }

        Console.Out.WriteLine(string.Create(inv, $"{Path.GetFileName(modelPath)}: {streams} streams × {frames} frames, {(scalar ? "scalar" : "fast")} kernels, {perStream} thread(s) per stream"));
        Console.Out.WriteLine(string.Create(inv, $"  {fps:0.0} fps in all, {gmacs:0.00} GMAC/s; per stream {string.Join(", ", latencyMs.Select(l => l.ToString("0.000", inv)))} ms/frame"));
        Console.Out.WriteLine("  every stream's outputs are byte-identical");
        return ExitCodes.Ok;
    }

    /// <summary>Default warm-up: at least this many frames...</summary>
    private const int MinWarmupFrames = 10;

    /// <summary>... and at least this long (tiered compilation replaces the first code in the background, in steps).</summary>
    private static readonly TimeSpan MinWarmupTime = TimeSpan.FromSeconds(1.5);

    /// <summary>Runs <paramref name="frames"/> untimed frames, or by default until both minimums are reached; returns how many ran.</summary>
    private static int WarmUp(Action run, int? frames)
    {
        if (frames is { } n)
        {
            for (int i = 0; i < n; i++)
            {
                run();
            }

            return n;
        }

        long start = Stopwatch.GetTimestamp();
        int done = 0;
        while (done < MinWarmupFrames || (Stopwatch.GetElapsedTime(start) < MinWarmupTime && done < 10_000))
        {
            run();
            done++;
        }

        return done;
    }

    private static void CheckCounts(int frames, int? warmup, int threads)
    {
        if (frames < 1 || frames > 1_000_000)
        {
            throw CliException.Usage("--frames must be between 1 and 1000000");
        }

        if (warmup is < 0 or > 10_000)
        {
            throw CliException.Usage("--warmup must be between 0 and 10000");
        }

        if (threads < 0 || threads > 1024)
        {
            throw CliException.Usage("--threads must be between 0 and 1024");
        }
    }

    /// <summary>A deterministic input: element i = i mod 251 for uint8, small floats for float inputs.</summary>
    private static byte[] Input(KModel m)
    {
        byte[] input = new byte[m.Inputs[0].ByteSize];
        if (m.Inputs[0].ElementType == ElementType.Float32)
        {
            Span<float> f = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(input.AsSpan());
            for (int i = 0; i < f.Length; i++)
            {
                f[i] = (i % 17) / 17f;
            }
        }
        else
        {
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (byte)(i % 251);
            }
        }

        return input;
    }

    private static int Execute(string modelPath, int frames, int? warmup, int threads, bool scalar, bool measurePeak, bool json)
    {
        CheckCounts(frames, warmup, threads);
        KModel m = CommandRunner.LoadModel(modelPath);
        using var interp = new Interpreter(m, new RunOptions { ForceScalar = scalar, Threads = threads });
        byte[] input = Input(m);
        interp.SetInput(0, input);
        int layers = m.Layers.Count;
        long[] layerTicks = new long[layers];
        long last = 0;
        interp.LayerCompleted = k =>
        {
            long now = Stopwatch.GetTimestamp();
            layerTicks[k] += now - last;
            last = now;
        };

        int warmed = WarmUp(
            () =>
            {
                last = Stopwatch.GetTimestamp();
                interp.Run();
            },
            warmup);

        Array.Clear(layerTicks);
        long allocated = 0;
        long totalTicks = 0;
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        void TimedRuns(Action<int>? progress)
        {
            for (int i = 0; i < frames; i++)
            {
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                long t0 = Stopwatch.GetTimestamp();
                last = t0;
                interp.Run();
                totalTicks += Stopwatch.GetTimestamp() - t0;
                allocated += GC.GetAllocatedBytesForCurrentThread() - a0;
                progress?.Invoke(i);
            }
        }

        if (!json && !Console.IsOutputRedirected)
        {
            AnsiConsole.Progress().AutoClear(true).Start(ctx =>
            {
                ProgressTask task = ctx.AddTask($"{Path.GetFileName(modelPath)}", maxValue: frames);
                TimedRuns(_ => task.Increment(1));
            });
        }
        else
        {
            TimedRuns(null);
        }

        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / frames;
        double seconds = totalTicks / (double)Stopwatch.Frequency;
        double fps = frames / seconds;
        double gmacs = m.TotalMacs * (double)frames / seconds / 1e9;
        double allocPerFrame = allocated / (double)frames;
        double? peakGmacs = measurePeak ? PeakMeter.MeasureGMacs(threads == 0 ? Environment.ProcessorCount : threads) : null;
        var rows = Enumerable.Range(0, layers)
            .Select(k => (k, l: m.Layers[k], ms: layerTicks[k] * 1000.0 / Stopwatch.Frequency / frames))
            .OrderByDescending(r => r.ms).ToList();
        var inv = CultureInfo.InvariantCulture;
        if (json)
        {
            var o = new JsonObject
            {
                ["model"] = Path.GetFileName(modelPath),
                ["frames"] = frames,
                ["warmup_frames"] = warmed,
                ["threads"] = threads,
                ["scalar"] = scalar,
                ["fps"] = fps,
                ["ms_per_frame"] = 1000.0 / fps,
                ["cpu_ms_per_frame"] = cpuMs,
                ["macs_per_frame"] = m.TotalMacs,
                ["gmac_per_s"] = gmacs,
                ["allocated_bytes_per_frame"] = allocPerFrame,
                ["peak_gmac_per_s"] = peakGmacs,
                ["layers"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
                {
                    ["index"] = r.k,
                    ["type"] = r.l.Name,
                    ["ms"] = r.ms,
                    ["macs"] = r.l.Macs,
                }).ToArray()),
            };
            Console.Out.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }

        Console.Out.WriteLine(string.Create(inv, $"{Path.GetFileName(modelPath)}: {frames} frames, {(scalar ? "scalar" : "fast")} kernels, threads {(threads == 0 ? Environment.ProcessorCount : threads)}"));
        Console.Out.WriteLine(string.Create(inv, $"  {fps:0.0} fps, {1000.0 / fps:0.000} ms/frame, {m.TotalMacs / 1e6:0.0} MMAC/frame, {gmacs:0.00} GMAC/s, {allocPerFrame:0} B allocated/frame"));
        Console.Out.WriteLine(string.Create(inv, $"  {cpuMs:0.000} ms of CPU time/frame (all threads; wall time exceeds it when the machine is busy)"));
        if (peakGmacs is { } pk)
        {
            Console.Out.WriteLine(string.Create(inv, $"  machine int16 multiply-add peak {pk:0.0} GMAC/s; this model reaches {100 * gmacs / pk:0.0}% of it"));
        }

        Console.Out.WriteLine();
        Console.Out.WriteLine($"{"layer",5} {"type",-24} {"ms",9} {"share",6} {"GMAC/s",8}");
        double total = rows.Sum(r => r.ms);
        foreach (var r in rows)
        {
            double g = r.ms > 0 ? r.l.Macs / (r.ms / 1000.0) / 1e9 : 0;
            Console.Out.WriteLine(string.Create(inv, $"{r.k,5} {r.l.Name,-24} {r.ms,9:0.000} {100 * r.ms / Math.Max(total, 1e-12),5:0.0}% {g,8:0.00}"));
        }

        return ExitCodes.Ok;
    }
}
