using System.Buffers.Binary;

namespace K210Kpu.Tests.Hardware;

/// <summary>Encodes the 12 KPU registers from named fields (kpu-and-kmodel-v3 §2), filling the layout fields from the widths as nncase does.</summary>
internal sealed record KpuRegisterBuilder
{
    public int InW { get; init; } = 8;
    public int InH { get; init; } = 8;
    public int InC { get; init; } = 1;
    public int OutC { get; init; } = 1;
    public int KernelType { get; init; }
    public int PoolType { get; init; }
    public bool Depthwise { get; init; }
    public int SrcRow { get; init; }
    public int DstRow { get; init; } = 1024;
    public int PadValue { get; init; }
    public long ArgX { get; init; }
    public int ShrX { get; init; }
    public long ArgW { get; init; }
    public int ShrW { get; init; }
    public long ArgAdd { get; init; }

    public int OutW => InW / Stride(PoolType);

    public int OutH => InH / Stride(PoolType);

    public static int Stride(int pool) => pool switch { 0 or 8 or 9 => 1, 3 or 4 or 7 => 4, _ => 2 };

    private static ulong U(long v) => unchecked((ulong)v);

    public static (int Groups, int RowLength) Layout(int w) => w <= 16 ? (4, 1) : w <= 32 ? (2, 1) : (1, (w + 63) / 64);

    public ulong[] Words()
    {
        (int gi, int li) = Layout(InW);
        (int go, int lo) = Layout(OutW);
        var r = new ulong[12];
        r[0] = (Depthwise ? 1UL : 0) << 3;
        r[1] = U(SrcRow) | (U(DstRow) << 32);
        r[2] = U(InC - 1) | (U(OutC - 1) << 32) | (U(OutC - 1) << 48);
        r[3] = U(InW - 1) | (U(InH - 1) << 10) | (U(OutW - 1) << 32) | (U(OutH - 1) << 42);
        r[4] = U(KernelType) | (U(PoolType) << 4) | (1UL << 10) | (15UL << 16) | (U(PadValue) << 24);
        int k = KernelType == 0 ? 1 : 3;
        int weightBytes = (Depthwise ? OutC : InC * OutC) * k * k;
        r[5] = 1UL | (U(weightBytes) << 15);
        r[7] = U(li * InH) | (U(li) << 16) | (U(gi) << 28) | (1UL << 31);
        r[8] = U(lo * OutH) | (U(lo) << 16) | (U(go) << 20);
        r[9] = U(ShrW) | (U(ShrX) << 4) | ((U(ArgW) & 0xFFFFFF) << 8) | ((U(ArgX) & 0xFFFFFF) << 32);
        r[10] = U(ArgAdd) & 0xFF_FFFF_FFFFUL;
        int outBytes = OutW * OutH * OutC;
        r[11] = (U(OutW * OutH - 1) << 16) | (U(outBytes - 1) << 32);
        return r;
    }

    public byte[] Bytes()
    {
        var b = new byte[96];
        ulong[] words = Words();
        for (int i = 0; i < 12; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(i * 8), words[i]);
        }

        return b;
    }

    /// <summary>A BN word {mul s24, add s32, shift u4}.</summary>
    public static ulong BatchNorm(long mul, long add, int shift) =>
        (U(mul) & 0xFFFFFF) | ((U(add) & 0xFFFFFFFFUL) << 24) | (U(shift) << 56);

    /// <summary>An activation table of 16 {start s36, mul s16, shift u8, add u8} segments (144 bytes).</summary>
    public static byte[] Activation((long Start, long Mul, int Shift, byte Add)[] segments)
    {
        var b = new byte[144];
        for (int i = 0; i < 16; i++)
        {
            (long start, long mul, int shift, byte add) = segments[i];
            ulong word = U(shift) | ((U(mul) & 0xFFFF) << 8) | ((U(start) & 0xF_FFFF_FFFFUL) << 24);
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(i * 8), word);
            b[128 + i] = add;
        }

        return b;
    }

    /// <summary>nncase 0.2's identity-like table: segment 0 at −2^35 (mul 0), segment 1 at <paramref name="start"/> with mul/shift.</summary>
    public static byte[] SimpleActivation(long start = -1, long mul = 1, int shift = 4, byte add = 0)
    {
        var s = new (long, long, int, byte)[16];
        s[0] = (-(1L << 35), 0, 0, 0);
        for (int i = 1; i < 16; i++)
        {
            s[i] = i == 1 ? (start, mul, shift, add) : ((1L << 35) - 16 + i, 0, 0, 255);
        }

        return Activation(s);
    }
}
