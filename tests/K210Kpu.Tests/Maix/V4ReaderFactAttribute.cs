namespace K210Kpu.Tests.Maix;

/// <summary>
/// A fact that needs the shared corpus and a build whose kmodel V4 reader is in place: skipped, with the reason, while
/// the reader still reports that V4 is not implemented.
/// </summary>
public sealed class V4ReaderFactAttribute : FactAttribute
{
    public V4ReaderFactAttribute()
    {
        if (TestFiles.SharedDir is null)
        {
            Skip = TestFiles.SharedMissing;
            return;
        }

        try
        {
            KModel.Load(TestFiles.SharedModel("nncase_voc20_yolo2_v4"));
        }
        catch (KModelVersionException e) when (e.Message.Contains("not implemented", StringComparison.Ordinal))
        {
            Skip = "the kmodel V4 reader is not in this build yet";
        }
    }
}
