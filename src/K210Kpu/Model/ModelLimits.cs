namespace K210Kpu.Model;

/// <summary>Checks every reader's result shares: something to run, and no more work than <see cref="KModel.MaxTotalMacs"/>.</summary>
internal static class ModelLimits
{
    /// <exception cref="KModelValidationException">The model has no layers, or its layers' multiply-accumulates add up to more than <see cref="KModel.MaxTotalMacs"/>.</exception>
    public static void Check(KModel model)
    {
        if (model.Layers.Count == 0)
        {
            ThrowHelper.Validation("the model has no layers (nodes), so there is nothing to run", -1);
        }

        long total = 0;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            long macs = model.Layers[i].Macs;
            if (macs < 0 || macs > KModel.MaxTotalMacs - total)
            {
                ThrowHelper.Validation(
                    $"layer {i} ({model.Layers[i].Name}) brings the model's work to more than {KModel.MaxTotalMacs / 1_000_000_000} G multiply-accumulates per run, the most accepted (the heaviest known K210 model needs 2.5 G)",
                    i);
            }

            total += macs;
        }
    }
}
