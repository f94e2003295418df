using System.Buffers.Binary;

namespace K210Kpu.Tests.Analysis;

/// <summary>Writes tiny kmodel V3 files (kpu-and-kmodel-v3 §4): 28-byte header, output table, layer headers, bodies.</summary>
internal static class V3Bytes
{
    public static byte[] Build(uint mainMemory, (uint Address, uint Size)[] outputs, params (uint Type, uint[] Body)[] layers)
    {
        var bytes = new List<byte>();
        void U32(uint v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
            bytes.AddRange(b.ToArray());
        }

        U32(3);                     // version
        U32(1);                     // flags: 8-bit weights
        U32(0);                     // arch: K210
        U32((uint)layers.Length);   // layers_length
        U32(0);                     // max_start_address
        U32(mainMemory);            // main_mem_usage
        U32((uint)outputs.Length);  // output_count
        foreach ((uint address, uint size) in outputs)
        {
            U32(address);
            U32(size);
        }

        foreach ((uint type, uint[] body) in layers)
        {
            U32(type);
            U32((uint)(body.Length * 4));
        }

        foreach ((_, uint[] body) in layers)
        {
            foreach (uint v in body)
            {
                U32(v);
            }
        }

        return bytes.ToArray();
    }

    /// <summary>FULLY_CONNECTED (18): flags, in, out, in_channels, out_channels, act, f32 weights[out][in], f32 bias[out].</summary>
    public static (uint, uint[]) FullyConnected(uint inAddress, uint outAddress) =>
        (18, [0, inAddress, outAddress, 1, 1, 0, BitConverter.SingleToUInt32Bits(1f), 0]);

    /// <summary>MAX_POOL2D (7, float): emitted by nncase 0.1, never run by the SDK. 16 fields.</summary>
    public static (uint, uint[]) FloatMaxPool(uint inAddress, uint outAddress) =>
        (7, [0, inAddress, outAddress, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0]);

    /// <summary>SOFTMAX (15): flags, in, out, channels.</summary>
    public static (uint, uint[]) Softmax(uint inAddress, uint outAddress, uint channels) => (15, [0, inAddress, outAddress, channels]);
}
