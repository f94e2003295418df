namespace K210Kpu.Tests.Robustness;

public sealed class InterpreterThreadingTests
{
    private static KModel Model() => KModel.Load(Path.Combine(TestFiles.DataDir, "models", "maixpy_face_yolo2_v3.kmodel"));

    private static byte[] Input(KModel m, int salt)
    {
        byte[] input = new byte[m.Inputs[0].ByteSize];
        new Random(salt).NextBytes(input);
        return input;
    }

    private static byte[] RunOnce(KModel m, byte[] input)
    {
        using var interp = new Interpreter(m);
        interp.SetInput(0, input);
        interp.Run();
        return interp.GetOutput(0).ToArray();
    }

    [Fact]
    public void InterpretersOnParallelThreads_GiveTheSerialBytes()
    {
        KModel m = Model();
        byte[][] inputs = [Input(m, 1), Input(m, 2), Input(m, 3)];
        byte[][] serial = inputs.Select(i => RunOnce(m, i)).ToArray();
        byte[]?[] parallel = new byte[inputs.Length * 2][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k => parallel[k] = RunOnce(m, inputs[k % inputs.Length]));
        for (int k = 0; k < parallel.Length; k++)
        {
            Assert.Equal(serial[k % inputs.Length], parallel[k]);
        }
    }

    [Fact]
    public async Task OneInterpreterFromTwoThreads_TheSecondGetsInvalidOperation()
    {
        KModel m = Model();
        using var interp = new Interpreter(m);
        interp.SetInput(0, Input(m, 1));
        using var inLayer = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        interp.LayerCompleted = k =>
        {
            if (k == 0)
            {
                inLayer.Set();
                release.Wait(TimeSpan.FromSeconds(30));
            }
        };
        var first = Task.Run(() => interp.Run());
        Assert.True(inLayer.Wait(TimeSpan.FromSeconds(30)));
        try
        {
            Assert.Throws<InvalidOperationException>(() => interp.Run());
            Assert.Throws<InvalidOperationException>(() => interp.SetInput(0, Input(m, 2)));
            Assert.Throws<InvalidOperationException>(() => interp.GetOutput(0).Length);
            Assert.Throws<InvalidOperationException>(() => interp.Dispose());
        }
        finally
        {
            release.Set();
        }

        await first;
        interp.LayerCompleted = null;
        interp.Run();
        Assert.Equal(RunOnce(m, Input(m, 1)), interp.GetOutput(0).ToArray());
    }

    [Fact]
    public void NestedRunFromLayerCompleted_IsInvalidOperation_AndReadingTheLayerIsFine()
    {
        KModel m = Model();
        using var interp = new Interpreter(m);
        interp.SetInput(0, Input(m, 1));
        Exception? nested = null;
        int read = 0;
        interp.LayerCompleted = k =>
        {
            read += interp.ReadLayerOutput(k).Length;
            if (k == 0)
            {
                nested = Record.Exception(() => interp.Run());
            }
        };
        interp.Run();
        Assert.IsType<InvalidOperationException>(nested);
        Assert.True(read > 0);
    }

    [Fact]
    public void Dispose_IsIdempotent_AndUseAfterwardsThrowsObjectDisposed()
    {
        KModel m = Model();
        var interp = new Interpreter(m);
        interp.Dispose();
        interp.Dispose();
        Assert.Throws<ObjectDisposedException>(() => interp.Run());
        Assert.Throws<ObjectDisposedException>(() => interp.SetInput(0, Input(m, 1)));
        Assert.Throws<ObjectDisposedException>(() => interp.GetOutput(0).Length);
        Assert.Throws<ObjectDisposedException>(() => interp.ReadLayerOutput(0));
    }

    [Fact]
    public void DisposeFromLayerCompleted_StopsTheRunWithObjectDisposed()
    {
        KModel m = Model();
        var interp = new Interpreter(m);
        interp.SetInput(0, Input(m, 1));
        interp.LayerCompleted = k => interp.Dispose();
        Assert.Throws<ObjectDisposedException>(() => interp.Run());
        Assert.Equal(1, interp.LayersRun);
    }

    [Fact]
    public void CancelledToken_StopsBeforeTheNextLayer()
    {
        KModel m = Model();
        using var interp = new Interpreter(m);
        interp.SetInput(0, Input(m, 1));
        using var cts = new CancellationTokenSource();
        interp.LayerCompleted = k => cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => interp.Run(cts.Token));
        Assert.Equal(1, interp.LayersRun);
    }
}
