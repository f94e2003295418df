namespace K210Kpu.Runtime;

/// <summary>The executable form of a model, made by its format's reader at load time (all validation done then).</summary>
internal abstract class ModelProgram
{
    /// <summary>Creates the run state (main memory, KPU RAM, scratch) for one interpreter.</summary>
    public abstract ModelExecutor CreateExecutor(KModel model, RunOptions options);
}
