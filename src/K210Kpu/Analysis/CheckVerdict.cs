namespace K210Kpu.Analysis;

/// <summary>The outcome of one check, or of a whole <see cref="ModelCheck"/>, ordered from best to worst.</summary>
public enum CheckVerdict
{
    /// <summary>Fits and runs.</summary>
    Ok = 0,

    /// <summary>Runs, but slowly, close to a limit, or only on some firmware builds; read the message.</summary>
    Warning = 1,

    /// <summary>Will not load or will not run on the chosen firmware.</summary>
    WillFail = 2,
}
