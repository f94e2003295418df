namespace K210Kpu.Model.V4;

/// <summary><c>padding</c>: elements added before and after along one axis (negative values crop).</summary>
internal readonly record struct V4Padding(int Before, int After)
{
    public override string ToString() => $"{Before},{After}";
}
