using System.Buffers.Binary;

namespace K210Kpu.Tests.Model.V3;

/// <summary>Writes small kmodel V3 files for tests (layout: kpu-and-kmodel-v3 §4). Bodies are padded so the next starts 8-aligned.</summary>
internal sealed class V3ModelBuilder
{
    private readonly List<(uint Address, uint Size)> _outputs = [];
    private readonly List<(uint Type, Func<long, byte[]> Body)> _layers = [];

    public uint Flags { get; set; } = 1;

    public uint MainMemory { get; set; } = 1024;

    public uint MaxStartAddress { get; set; } = 32768;

    public V3ModelBuilder Output(uint address, uint size)
    {
        _outputs.Add((address, size));
        return this;
    }

    /// <summary>A layer whose body is <c>flags</c> followed by <paramref name="fields"/> (uint, int, float or byte[]).</summary>
    public V3ModelBuilder Layer(uint type, uint flags, params object[] fields)
    {
        byte[] body = Fields([flags, .. fields]);
        _layers.Add((type, _ => body));
        return this;
    }

    /// <summary>A layer with raw body bytes.</summary>
    public V3ModelBuilder RawLayer(uint type, byte[] body)
    {
        _layers.Add((type, _ => body));
        return this;
    }

    /// <summary>A K210_CONV whose registers, weights, BN and activation tables follow its 24-byte header in the body.</summary>
    public V3ModelBuilder Conv(byte[] registers, byte[] weights, ulong[] batchNorm, byte[] activation, bool mainOut = false, uint mainOutAddress = 0)
    {
        _layers.Add((10240, start =>
        {
            long regs = start + 24, w = regs + registers.Length, bn = w + weights.Length, act = bn + (8L * batchNorm.Length);
            var bnBytes = new byte[8 * batchNorm.Length];
            for (int i = 0; i < batchNorm.Length; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bnBytes.AsSpan(i * 8), batchNorm[i]);
            }

            return Fields([mainOut ? 1u : 0u, mainOutAddress, (uint)regs, (uint)w, (uint)bn, (uint)act, registers, weights, bnBytes, activation]);
        }));
        return this;
    }

    /// <summary>
    /// Layer 0 = a FULLY_CONNECTED that takes <paramref name="inputFloats"/> float32 at main address 0 (so the model input
    /// lands there verbatim) and writes one float at <paramref name="scratch"/>. Later layers then read the input bytes.
    /// </summary>
    public V3ModelBuilder InputStage(uint inputFloats, uint scratch) =>
        Layer(18, 0, 0u, scratch, inputFloats, 1u, 0u, new byte[4 * (inputFloats + 1)]);

    public byte[] Build()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write(3u);
        w.Write(Flags);
        w.Write(0u);
        w.Write((uint)_layers.Count);
        w.Write(MaxStartAddress);
        w.Write(MainMemory);
        w.Write((uint)_outputs.Count);
        foreach ((uint a, uint s) in _outputs)
        {
            w.Write(a);
            w.Write(s);
        }

        long bodyStart = 28 + (8L * _outputs.Count) + (8L * _layers.Count);
        var bodies = new List<byte[]>();
        long at = bodyStart;
        foreach ((_, Func<long, byte[]> make) in _layers)
        {
            byte[] body = make(at);
            int padded = body.Length + (int)((8 - ((at + body.Length) % 8)) % 8);
            Array.Resize(ref body, padded);
            bodies.Add(body);
            at += padded;
        }

        for (int i = 0; i < _layers.Count; i++)
        {
            w.Write(_layers[i].Type);
            w.Write((uint)bodies[i].Length);
        }

        foreach (byte[] body in bodies)
        {
            w.Write(body);
        }

        return ms.ToArray();
    }

    public static byte[] Fields(object[] fields)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        foreach (object f in fields)
        {
            switch (f)
            {
                case uint u: w.Write(u); break;
                case int i: w.Write(i); break;
                case float x: w.Write(x); break;
                case byte[] b: w.Write(b); break;
                case float[] fs: foreach (float x in fs) { w.Write(x); } break;
                default: throw new ArgumentException("unsupported field type " + f.GetType());
            }
        }

        return ms.ToArray();
    }
}
