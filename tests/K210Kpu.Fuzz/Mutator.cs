using System.Buffers.Binary;

namespace K210Kpu.Fuzz;

/// <summary>
/// Deterministic byte mutations of kmodel files: bit flips, insertions, deletions, truncations, interesting u32
/// values in headers and bodies, and swapped, duplicated or dropped entries of the V3 layer / V4 node tables.
/// </summary>
public static class Mutator
{
    private static readonly uint[] s_interesting =
    [
        0, 1, 2, 7, 8, 0x3F, 0x40, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x1FFFFF, 0x200000, 0x800000,
        0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x40000000, 0x10000000, 0x01000000,
    ];

    /// <summary>Returns one mutant of <paramref name="seed"/> and the names of the mutations applied.</summary>
    public static (byte[] Bytes, string How) Mutate(Random rng, byte[] seed)
    {
        List<byte> b = [.. seed];
        var names = new List<string>();
        int steps = rng.Next(4) == 0 ? 1 + rng.Next(3) : 1;
        for (int s = 0; s < steps && b.Count > 0; s++)
        {
            int pick = rng.Next(16);
            switch (pick)
            {
                case <= 2:
                    names.Add("bitflip");
                    int flips = 1 << rng.Next(4);
                    for (int k = 0; k < flips; k++)
                    {
                        int i = rng.Next(b.Count);
                        b[i] ^= (byte)(1 << rng.Next(8));
                    }

                    break;
                case 3:
                    names.Add("insert");
                    int at = rng.Next(b.Count + 1);
                    byte[] ins = new byte[1 << rng.Next(7)];
                    rng.NextBytes(ins);
                    b.InsertRange(at, ins);
                    break;
                case 4:
                    names.Add("delete");
                    int from = rng.Next(b.Count);
                    b.RemoveRange(from, Math.Min(b.Count - from, 1 << rng.Next(7)));
                    break;
                case 5:
                    names.Add("truncate");
                    int keep = rng.Next(b.Count);
                    b.RemoveRange(keep, b.Count - keep);
                    break;
                case 6 or 7:
                    names.Add("header");
                    SetU32(b, (rng.Next(Math.Min(b.Count, 64)) & ~3), Interesting(rng, b, rng.Next(Math.Min(b.Count, 64)) & ~3));
                    break;
                case 8 or 9 or 10:
                    names.Add("u32");
                    int o = rng.Next(b.Count) & ~3;
                    SetU32(b, o, Interesting(rng, b, o));
                    break;
                case 11 or 12:
                    names.Add("table");
                    MutateTable(rng, b);
                    break;
                default:
                    names.Add("register");
                    int r = rng.Next(b.Count) & ~7;
                    if (r + 8 <= b.Count)
                    {
                        ulong v = 0;
                        for (int k = 0; k < 8; k++)
                        {
                            v |= (ulong)b[r + k] << (8 * k);
                        }

                        int lo = rng.Next(64), width = 1 + rng.Next(16);
                        ulong mask = (width >= 64 ? ulong.MaxValue : ((1UL << width) - 1)) << lo;
                        v = rng.Next(3) switch { 0 => v | mask, 1 => v & ~mask, _ => v ^ ((ulong)rng.NextInt64() & mask) };
                        for (int k = 0; k < 8; k++)
                        {
                            b[r + k] = (byte)(v >> (8 * k));
                        }
                    }

                    break;
            }
        }

        return ([.. b], string.Join('+', names));
    }

    private static uint Interesting(Random rng, List<byte> b, int o)
    {
        uint v = GetU32(b, o);
        return rng.Next(3) switch
        {
            0 => v + (uint)(rng.Next(17) - 8),
            1 => v ^ (1u << rng.Next(32)),
            _ => s_interesting[rng.Next(s_interesting.Length)],
        };
    }

    private static void MutateTable(Random rng, List<byte> b)
    {
        // V3: count at 12, outputs at 24, table after 28 + 8 * outputs. V4: count at 24, table after the constants.
        int count, table, countAt;
        if (b.Count >= 40 && b[0] == (byte)'L' && b[1] == (byte)'D' && b[2] == (byte)'M' && b[3] == (byte)'K')
        {
            count = (int)Math.Min(GetU32(b, 24), 100000);
            long t = 40L + (GetU32(b, 28) * 32L) + (GetU32(b, 32) * 16L) + GetU32(b, 16);
            table = t < b.Count ? (int)t : -1;
            countAt = 24;
        }
        else if (b.Count >= 28 && GetU32(b, 0) == 3)
        {
            count = (int)Math.Min(GetU32(b, 12), 100000);
            long t = 28L + (GetU32(b, 24) * 8L);
            table = t < b.Count ? (int)t : -1;
            countAt = 12;
        }
        else
        {
            return;
        }

        if (table < 0 || count == 0 || table + (count * 8L) > b.Count)
        {
            return;
        }

        int i = rng.Next(count), j = rng.Next(count);
        switch (rng.Next(4))
        {
            case 0:
                for (int k = 0; k < 8; k++)
                {
                    (b[table + (i * 8) + k], b[table + (j * 8) + k]) = (b[table + (j * 8) + k], b[table + (i * 8) + k]);
                }

                break;
            case 1:
                b.InsertRange(table + (i * 8), b.GetRange(table + (i * 8), 8));
                SetU32(b, countAt, (uint)count + 1);
                break;
            case 2:
                SetU32(b, table + (i * 8) + 4, Interesting(rng, b, table + (i * 8) + 4));
                break;
            default:
                SetU32(b, table + (i * 8), (uint)rng.Next(0x2010));
                break;
        }
    }

    private static uint GetU32(List<byte> b, int o) =>
        o + 4 <= b.Count ? (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) : 0;

    private static void SetU32(List<byte> b, int o, uint v)
    {
        Span<byte> tmp = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(tmp, v);
        for (int k = 0; k < 4 && o + k < b.Count; k++)
        {
            b[o + k] = tmp[k];
        }
    }
}
