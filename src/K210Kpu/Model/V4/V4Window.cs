using K210Kpu.Kernels.Cpu;

namespace K210Kpu.Model.V4;

/// <summary>The window parameters shared by the conv and reduce_window ops: paddings, filter, stride and dilation (H and W).</summary>
internal readonly record struct V4Window(
    V4Padding PadH,
    V4Padding PadW,
    int FilterH,
    int FilterW,
    int StrideH,
    int StrideW,
    int DilationH,
    int DilationW)
{
    /// <summary>Largest filter, stride, dilation or padding accepted (far above anything a K210 model uses; keeps int32 window arithmetic exact).</summary>
    public const int Limit = 1 << 16;

    /// <summary>Reads <c>padding_h, padding_w, filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w</c>.</summary>
    public static V4Window Read(ref SpanReader r, V4LoadContext ctx)
    {
        V4Padding ph = ctx.ReadPadding(ref r, "padding_h");
        V4Padding pw = ctx.ReadPadding(ref r, "padding_w");
        return ReadRest(ref r, ctx, ph, pw);
    }

    /// <summary>Reads the filter/stride/dilation fields after paddings read by the caller.</summary>
    public static V4Window ReadRest(ref SpanReader r, V4LoadContext ctx, V4Padding ph, V4Padding pw)
    {
        var w = new V4Window(
            ph,
            pw,
            r.ReadInt32("filter_h"),
            r.ReadInt32("filter_w"),
            r.ReadInt32("stride_h"),
            r.ReadInt32("stride_w"),
            r.ReadInt32("dilation_h"),
            r.ReadInt32("dilation_w"));
        ctx.CheckRange(w.FilterH, 1, Limit, "filter_h");
        ctx.CheckRange(w.FilterW, 1, Limit, "filter_w");
        ctx.CheckRange(w.StrideH, 1, Limit, "stride_h");
        ctx.CheckRange(w.StrideW, 1, Limit, "stride_w");
        ctx.CheckRange(w.DilationH, 1, Limit, "dilation_h");
        ctx.CheckRange(w.DilationW, 1, Limit, "dilation_w");
        if ((long)(w.FilterH - 1) * w.DilationH >= Limit || (long)(w.FilterW - 1) * w.DilationW >= Limit)
        {
            ctx.Fail($"the dilated filter {w.FilterH}x{w.FilterW} (dilation {w.DilationH}x{w.DilationW}) spans more than {Limit} elements");
        }

        ctx.CheckRange(ph.Before, -Limit, Limit, "padding_h.before");
        ctx.CheckRange(ph.After, -Limit, Limit, "padding_h.after");
        ctx.CheckRange(pw.Before, -Limit, Limit, "padding_w.before");
        ctx.CheckRange(pw.After, -Limit, Limit, "padding_w.after");
        return w;
    }

    /// <summary>Output height for an input of height <paramref name="h"/> (≥ 0).</summary>
    public int OutputH(int h) => Math.Max(0, NeutralMath.WindowedOutputSize(h, FilterH, StrideH, DilationH, PadH.Before, PadH.After));

    /// <summary>Output width for an input of width <paramref name="w"/> (≥ 0).</summary>
    public int OutputW(int w) => Math.Max(0, NeutralMath.WindowedOutputSize(w, FilterW, StrideW, DilationW, PadW.Before, PadW.After));

    public override string ToString() =>
        $"k {FilterH}x{FilterW} s {StrideH}x{StrideW} d {DilationH}x{DilationW} pad h {PadH} w {PadW}";
}
