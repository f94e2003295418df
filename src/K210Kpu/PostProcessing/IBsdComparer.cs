namespace K210Kpu.PostProcessing;

/// <summary>A C-style comparison for <see cref="BsdQsort"/> (negative: x first; positive: y first; zero: equal).</summary>
internal interface IBsdComparer<in T>
{
    int Compare(T x, T y);
}
