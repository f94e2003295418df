using K210Kpu.Maix;
using K210Kpu.Tests.Maix;

namespace K210Kpu.Tests.Robustness;

public sealed class MaixMisuseTests
{
    [Fact]
    public void Forward_RawInputOfTheWrongSize_RaisesCheckInputList()
    {
        using KpuTask task = FakeModels.Task();
        var e = Assert.Throws<MaixPyException>(() => Kpu.Forward(task, new byte[7]));
        Assert.Equal("[MAIXPY]kpu: check input list format err!", e.Message);
    }

    [Fact]
    public void Forward_EmptyFloatList_RaisesCheckInputList()
    {
        using KpuTask task = FakeModels.Task();
        var e = Assert.Throws<MaixPyException>(() => Kpu.Forward(task, ReadOnlySpan<float>.Empty));
        Assert.Equal("[MAIXPY]kpu: check input list format err!", e.Message);
    }

    [Fact]
    public void Task_DisposedTwice_ThenEveryUseThrowsObjectDisposed()
    {
        KpuTask task = FakeModels.Task();
        task.Dispose();
        task.Dispose();
        Assert.True(task.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => task.Model);
        Assert.Throws<ObjectDisposedException>(() => task.LayerCount);
        Assert.Throws<ObjectDisposedException>(() => Kpu.Forward(task, new byte[7]));
    }
}
