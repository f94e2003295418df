namespace K210Kpu.Analysis;

/// <summary>One finding of a <see cref="ModelCheck"/>: what was checked, the verdict, why, and where the limit comes from.</summary>
public sealed class CheckFinding
{
    internal CheckFinding(string code, CheckVerdict verdict, string message, string source, int layerIndex = -1)
    {
        Code = code;
        Verdict = verdict;
        Message = message;
        Source = source;
        LayerIndex = layerIndex;
    }

    /// <summary>
    /// Which check: <c>load</c>, <c>format</c>, <c>layer-type</c>, <c>first-layer</c>, <c>kpu-ram</c>, <c>heap</c>,
    /// <c>parameters</c>, <c>flash</c>, <c>cpu-layers</c>, <c>small-map</c> or <c>timing</c>.
    /// </summary>
    public string Code { get; }

    /// <summary>The verdict of this check.</summary>
    public CheckVerdict Verdict { get; }

    /// <summary>The reason, in one sentence or two, with the figures compared.</summary>
    public string Message { get; }

    /// <summary>Where the limit or behaviour comes from (spec section, issue or page).</summary>
    public string Source { get; }

    /// <summary>The layer concerned, or -1 for the model as a whole.</summary>
    public int LayerIndex { get; }

    /// <inheritdoc />
    public override string ToString() => $"[{Verdict}] {Code}: {Message}";
}
