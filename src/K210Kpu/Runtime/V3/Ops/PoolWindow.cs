namespace K210Kpu.Runtime.V3.Ops;

/// <summary>
/// The window fields shared by QUANTIZED_MAX_POOL2D and AVERAGE_POOL2D: input and output shapes {w, h, c}, kernel, stride
/// and "before" padding. Taps outside the input are skipped (kpu-and-kmodel-v3 §4.8).
/// </summary>
internal readonly record struct PoolWindow(
    int InWidth, int InHeight, int InChannels, int OutWidth, int OutHeight, int OutChannels,
    int KernelWidth, int KernelHeight, int StrideWidth, int StrideHeight, int PaddingWidth, int PaddingHeight)
{
    /// <summary>Elements of the input the kernels address: in_w·in_h·out_c.</summary>
    public long InputElements => (long)InWidth * InHeight * OutChannels;

    /// <summary>Output elements.</summary>
    public long OutputElements => (long)OutWidth * OutHeight * OutChannels;

    /// <summary>The in-range tap bounds of output (oy, ox): kernel rows [y0, y1), columns [x0, x1), and the window origin.</summary>
    public (int OriginY, int OriginX, int Y0, int Y1, int X0, int X1) Taps(int oy, int ox)
    {
        int originX = (ox * StrideWidth) - PaddingWidth;
        int originY = (oy * StrideHeight) - PaddingHeight;
        return (originY, originX, Math.Max(0, -originY), Math.Min(KernelHeight, InHeight - originY), Math.Max(0, -originX), Math.Min(KernelWidth, InWidth - originX));
    }

    /// <summary>The output shape.</summary>
    public int[] OutputShape => [1, OutChannels, OutHeight, OutWidth];

    /// <summary>Checks that every window stays inside the input and has at least one tap.</summary>
    public string? Problem()
    {
        if (KernelWidth <= 0 || KernelHeight <= 0 || StrideWidth <= 0 || StrideHeight <= 0)
        {
            return "kernel and stride must be positive";
        }

        if (PaddingWidth >= KernelWidth || PaddingHeight >= KernelHeight)
        {
            return "padding must be smaller than the kernel";
        }

        long lastX = ((long)(OutWidth - 1) * StrideWidth) - PaddingWidth;
        long lastY = ((long)(OutHeight - 1) * StrideHeight) - PaddingHeight;
        if (OutWidth > 0 && OutHeight > 0 && (lastX >= InWidth || lastY >= InHeight))
        {
            return "a pooling window starts beyond the input";
        }

        return null;
    }
}
