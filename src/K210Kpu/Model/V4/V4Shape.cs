namespace K210Kpu.Model.V4;

/// <summary><c>runtime_shape_t</c>: four int32 dimensions (NCHW for neutral ops, NHWC for the CPU ops).</summary>
internal readonly record struct V4Shape(int D0, int D1, int D2, int D3)
{
    public int this[int i] => i switch
    {
        0 => D0,
        1 => D1,
        2 => D2,
        _ => D3,
    };

    /// <summary>True when every dimension is ≥ 0.</summary>
    public bool IsNonNegative => D0 >= 0 && D1 >= 0 && D2 >= 0 && D3 >= 0;

    /// <summary>Product of the dimensions (only meaningful when <see cref="IsNonNegative"/>; saturates at long.MaxValue / 2).</summary>
    public long Elements
    {
        get
        {
            long p = 1;
            for (int i = 0; i < 4; i++)
            {
                long d = this[i];
                if (d <= 0)
                {
                    return 0;
                }

                p = p > (long.MaxValue / 2) / d ? long.MaxValue / 2 : p * d;
            }

            return p;
        }
    }

    public int[] ToArray() => [D0, D1, D2, D3];

    public override string ToString() => $"{D0}x{D1}x{D2}x{D3}";
}
