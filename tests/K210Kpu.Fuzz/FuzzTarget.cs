using K210Kpu.Maix;

namespace K210Kpu.Fuzz;

/// <summary>The code under fuzzing: load any bytes as a kmodel (or a kfpkg) and, when they load, run them once on zero inputs.</summary>
public static class FuzzTarget
{
    /// <summary>Inputs larger than this are not fed (no real K210 model has one; the loader caps models well below it).</summary>
    public const int MaxInputBytes = 64 << 20;

    /// <summary>Wall-clock limit of one run.</summary>
    public static TimeSpan RunTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Loads and runs <paramref name="data"/>. Only the library's typed errors are caught; anything else escapes.</summary>
    /// <returns>"load" when the bytes were refused, "run" when the run failed with a typed error, "ok" when it ran.</returns>
    public static string Execute(byte[] data)
    {
        if (data.Length >= 4 && data[0] == (byte)'P' && data[1] == (byte)'K')
        {
            try
            {
                new Flash().WriteKfpkg(new MemoryStream(data, writable: false));
                return "ok";
            }
            catch (KModelException)
            {
                return "load";
            }
        }

        KModel m;
        try
        {
            m = KModel.Load(data);
        }
        catch (KModelException)
        {
            return "load";
        }

        // what `kpu info` reads
        foreach (LayerDescriptor l in m.Layers)
        {
            _ = l.Name;
            _ = l.OutputBytes;
            _ = l.Macs;
        }

        try
        {
            using var interp = new Interpreter(m, new RunOptions { Timeout = RunTimeout });
            for (int i = 0; i < m.Inputs.Count; i++)
            {
                long size = m.Inputs[i].ByteSize;
                if (size > MaxInputBytes)
                {
                    return "run";
                }

                interp.SetInput(i, new byte[size]);
            }

            interp.Run();
            for (int i = 0; i < m.Outputs.Count; i++)
            {
                _ = interp.GetOutput(i).Length;
            }

            for (int i = 0; i < m.Layers.Count; i++)
            {
                _ = interp.ReadLayerOutput(i).Length;
            }

            return "ok";
        }
        catch (KpuRuntimeException)
        {
            return "run";
        }
    }
}
