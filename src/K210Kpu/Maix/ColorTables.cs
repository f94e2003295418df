namespace K210Kpu.Maix;

/// <summary>
/// The colour conversions of MaixPy's imlib (OpenMV <c>rgb2rgb_tab.c</c>, <c>yuv_tab.c</c>), computed from their
/// defining formulas: 5/6-bit channels expand to 8 bits rounded to nearest (<c>v·255/31</c>, <c>v·255/63</c>) and
/// 8-bit channels reduce rounded to nearest (<c>v·31/255</c>, <c>v·63/255</c>).
/// </summary>
internal static class ColorTables
{
    /// <summary>5-bit → 8-bit (<c>rb528_table</c>).</summary>
    public static readonly byte[] Rb528 = Build(32, 31, 255);

    /// <summary>6-bit → 8-bit (<c>g628_table</c>).</summary>
    public static readonly byte[] G628 = Build(64, 63, 255);

    /// <summary>8-bit → 5-bit (<c>rb825_table</c>).</summary>
    public static readonly byte[] Rb825 = Build(256, 255, 31);

    /// <summary>8-bit → 6-bit (<c>g826_table</c>).</summary>
    public static readonly byte[] G826 = Build(256, 255, 63);

    /// <summary>The luma correction for the three low green bits that MaixPy's split Y table adds (round(g628[k]·0.587)).</summary>
    private static readonly int[] GreenLowLuma = BuildGreenLow();

    private static byte[] Build(int count, int from, int to)
    {
        byte[] t = new byte[count];
        for (int v = 0; v < count; v++)
        {
            // Round half up: (v·to + from/2) / from, in integers.
            t[v] = (byte)(((v * to * 2) + from) / (from * 2));
        }

        return t;
    }

    private static int[] BuildGreenLow()
    {
        int[] t = new int[8];
        for (int k = 0; k < 8; k++)
        {
            t[k] = (int)Math.Round(Build(64, 63, 255)[k] * 0.587, MidpointRounding.AwayFromZero);
        }

        return t;
    }

    public static int R5(ushort p) => p >> 11;

    public static int G6(ushort p) => (p >> 5) & 0x3F;

    public static int B5(ushort p) => p & 0x1F;

    public static ushort Pack565(int r5, int g6, int b5) => (ushort)((r5 << 11) | (g6 << 5) | b5);

    public static ushort Rgb888To565(int r, int g, int b) => Pack565(Rb825[r], G826[g], Rb825[b]);

    /// <summary>
    /// RGB565 → grayscale as MaixPy's <c>to_grayscale</c>: its Y table is split in a table over the pixel without the
    /// three low green bits, <c>floor(0.299·r8 + 0.587·g8 + 0.114·b8)</c> with <c>g8</c> expanded from the upper three
    /// green bits only, plus a per-low-bits correction; Y + 128 is the grey value.
    /// </summary>
    public static byte Rgb565ToGray(ushort p)
    {
        int g6 = G6(p);
        double r8 = Rb528[R5(p)];
        double g8 = G628[g6 & 0x38];
        double b8 = Rb528[B5(p)];
        int y = (int)Math.Floor((r8 * 0.299) + (g8 * 0.587) + (b8 * 0.114)) + GreenLowLuma[g6 & 7];
        return (byte)Math.Clamp(y, 0, 255);
    }

    /// <summary>RGB888 → grayscale, BT.601 luma rounded to nearest (desktop images; MaixPy has no RGB888 images).</summary>
    public static byte Rgb888ToGray(int r, int g, int b) =>
        (byte)Math.Clamp((int)Math.Round((r * 0.299) + (g * 0.587) + (b * 0.114), MidpointRounding.AwayFromZero), 0, 255);
}
