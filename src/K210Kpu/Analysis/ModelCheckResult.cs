namespace K210Kpu.Analysis;

/// <summary>The outcome of <see cref="ModelCheck"/>: an overall verdict, every finding, and an exit code for scripts.</summary>
public sealed class ModelCheckResult
{
    internal ModelCheckResult(
        TargetFirmware firmware,
        string description,
        long fileBytes,
        KModel? model,
        LatencyEstimate? estimate,
        IReadOnlyList<CheckFinding> findings,
        long heapNeededBytes,
        long heapBudgetBytes)
    {
        Firmware = firmware;
        Description = description;
        FileBytes = fileBytes;
        Model = model;
        Estimate = estimate;
        Findings = findings;
        HeapNeededBytes = heapNeededBytes;
        HeapBudgetBytes = heapBudgetBytes;
    }

    /// <summary>The worst verdict over <see cref="Findings"/>.</summary>
    public CheckVerdict Verdict => Findings.Count == 0 ? CheckVerdict.Ok : Findings.Max(f => f.Verdict);

    /// <summary>
    /// Exit code for scripts: <see cref="ModelCheck.ExitOk"/> (0), <see cref="ModelCheck.ExitWarning"/> (4) or
    /// <see cref="ModelCheck.ExitWillFail"/> (5). A file that does not load at all is "will fail" (5).
    /// </summary>
    public int ExitCode => ModelCheck.ExitCodeFor(Verdict);

    /// <summary>Every finding, in check order (ok ones included, so a report can show what passed).</summary>
    public IReadOnlyList<CheckFinding> Findings { get; }

    /// <summary>The firmware checked against.</summary>
    public TargetFirmware Firmware { get; }

    /// <summary>What the file is, e.g. "kmodel V3 (nncase 0.1)".</summary>
    public string Description { get; }

    /// <summary>File size in bytes.</summary>
    public long FileBytes { get; }

    /// <summary>The loaded model, or null when the file did not load.</summary>
    public KModel? Model { get; }

    /// <summary>The time estimate, or null when the file did not load.</summary>
    public LatencyEstimate? Estimate { get; }

    /// <summary>Memory the firmware allocates at load: the model copy plus its main buffer (0 when unknown).</summary>
    public long HeapNeededBytes { get; }

    /// <summary>The heap figure the model was held against (the user's figure, or the default for the firmware).</summary>
    public long HeapBudgetBytes { get; }

    /// <summary>The findings with the given verdict.</summary>
    public IEnumerable<CheckFinding> With(CheckVerdict verdict) => Findings.Where(f => f.Verdict == verdict);
}
