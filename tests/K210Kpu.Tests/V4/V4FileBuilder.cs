using System.Buffers.Binary;

namespace K210Kpu.Tests.V4;

/// <summary>Builds kmodel V4 files for tests: header, inputs, outputs, constants, nodes (bodies padded to 8 bytes of file offset).</summary>
internal sealed class V4FileBuilder
{
    public const int Const = 0, Main = 1, Kpu = 2;
    public const int F32 = 0, U8 = 1;

    private readonly List<(byte[] Range, int[] Shape)> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private readonly List<(uint OpCode, byte[] Body)> _nodes = [];

    public uint MainMemory { get; set; } = 4096;

    public byte[] Constants { get; set; } = [];

    public uint Target { get; set; } = 1;

    /// <summary>When true the padding after the last body is left out of the file (as nncase's writer does).</summary>
    public bool TruncateLastPadding { get; set; }

    public V4FileBuilder Input(int memory, int datatype, uint start, uint size, params int[] shape)
    {
        _inputs.Add((Range(memory, datatype, start, size), shape));
        return this;
    }

    public V4FileBuilder Output(int memory, int datatype, uint start, uint size)
    {
        _outputs.Add(Range(memory, datatype, start, size));
        return this;
    }

    public V4FileBuilder Node(uint opCode, byte[] body)
    {
        _nodes.Add((opCode, body));
        return this;
    }

    public static byte[] Range(int memory, int datatype, uint start, uint size) =>
        new Body().U32((uint)memory).U32((uint)datatype).U32(start).U32(size).ToArray();

    public byte[] Build()
    {
        var w = new Body();
        w.U32(0x4B4D444C).U32(4).U32(0).U32(Target).U32((uint)Constants.Length).U32(MainMemory)
            .U32((uint)_nodes.Count).U32((uint)_inputs.Count).U32((uint)_outputs.Count).U32(0xCCCCCCCC);
        foreach ((byte[] range, _) in _inputs)
        {
            w.Bytes(range);
        }

        foreach ((_, int[] shape) in _inputs)
        {
            w.Shape(shape);
        }

        foreach (byte[] range in _outputs)
        {
            w.Bytes(range);
        }

        w.Bytes(Constants);
        int headersAt = w.Length;
        foreach ((uint op, _) in _nodes)
        {
            w.U32(op).U32(0);
        }

        for (int i = 0; i < _nodes.Count; i++)
        {
            int start = w.Length;
            w.Bytes(_nodes[i].Body);
            while (w.Length % 8 != 0)
            {
                w.U8(0);
            }

            w.Patch(headersAt + (i * 8) + 4, (uint)(w.Length - start));
        }

        byte[] file = w.ToArray();
        if (TruncateLastPadding && _nodes.Count > 0)
        {
            int pad = (8 - (_nodes[^1].Body.Length % 8)) % 8;
            file = file[..^pad];
        }

        return file;
    }

    /// <summary>Little-endian body writer.</summary>
    internal sealed class Body
    {
        private readonly List<byte> _bytes = [];

        public int Length => _bytes.Count;

        public Body U8(byte v)
        {
            _bytes.Add(v);
            return this;
        }

        public Body U32(uint v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
            _bytes.AddRange(b.ToArray());
            return this;
        }

        public Body I32(int v) => U32(unchecked((uint)v));

        public Body U64(ulong v) => U32((uint)v).U32((uint)(v >> 32));

        public Body F32(float v) => U32(BitConverter.SingleToUInt32Bits(v));

        public Body F32s(IEnumerable<float> values)
        {
            foreach (float v in values)
            {
                F32(v);
            }

            return this;
        }

        public Body I32s(IEnumerable<int> values)
        {
            foreach (int v in values)
            {
                I32(v);
            }

            return this;
        }

        public Body Bytes(IEnumerable<byte> bytes)
        {
            _bytes.AddRange(bytes);
            return this;
        }

        public Body Range(int memory, int datatype, uint start, uint size) => Bytes(V4FileBuilder.Range(memory, datatype, start, size));

        public Body Shape(params int[] dims)
        {
            int[] d = [.. Enumerable.Repeat(1, 4 - dims.Length), .. dims];
            foreach (int v in d)
            {
                I32(v);
            }

            return this;
        }

        /// <summary>padding_h, padding_w, filter, stride, dilation.</summary>
        public Body Window(int padTop, int padBottom, int padLeft, int padRight, int fh, int fw, int sh, int sw, int dh, int dw) =>
            I32(padTop).I32(padBottom).I32(padLeft).I32(padRight).I32(fh).I32(fw).I32(sh).I32(sw).I32(dh).I32(dw);

        public Body Activation(float min = -float.MaxValue, float max = float.MaxValue) => F32(min).F32(max);

        public void Patch(int at, uint v)
        {
            _bytes[at] = (byte)v;
            _bytes[at + 1] = (byte)(v >> 8);
            _bytes[at + 2] = (byte)(v >> 16);
            _bytes[at + 3] = (byte)(v >> 24);
        }

        public byte[] ToArray() => [.. _bytes];
    }
}
