namespace K210Kpu.Tests.Runtime;

/// <summary>
/// Runs of one interpreter are independent: a model may reuse its input's memory for later layers (the V4 models
/// here do), and a run after another one with the same input gives the same outputs as the first.
/// </summary>
public class InterpreterRerunTests
{
    [SharedFact]
    public void EveryModel_SecondRunWithTheSameInput_GivesTheSameOutputs()
    {
        int checkedModels = 0;
        foreach (string path in Directory.GetFiles(TestFiles.Shared("models"), "*.kmodel").Order(StringComparer.Ordinal))
        {
            KModel model;
            try
            {
                model = KModel.Load(path);
            }
            catch (KModelException)
            {
                continue; // formats the reader refuses (V5) have their own tests
            }

            using var interp = new Interpreter(model, new RunOptions { Threads = 1 });
            var rnd = new Random(11);
            for (int i = 0; i < model.Inputs.Count; i++)
            {
                interp.SetInput(i, Input(model.Inputs[i], rnd));
            }

            interp.Run();
            byte[][] first = Outputs(interp);
            interp.Run();
            interp.Run();
            byte[][] third = Outputs(interp);
            for (int o = 0; o < first.Length; o++)
            {
                Assert.True(first[o].AsSpan().SequenceEqual(third[o]), $"{Path.GetFileName(path)}: output {o} of the third run differs from the first");
            }

            checkedModels++;
        }

        Assert.True(checkedModels >= 20, $"only {checkedModels} models ran");
    }

    [SharedFact]
    public void V4Model_AnotherInputInBetween_DoesNotLeak()
    {
        KModel model = KModel.Load(TestFiles.SharedModel("nncase_voc20_yolo2_v4"));
        using var interp = new Interpreter(model, new RunOptions { Threads = 2 });
        byte[] a = Input(model.Inputs[0], new Random(1));
        byte[] b = Input(model.Inputs[0], new Random(2));
        interp.SetInput(0, a);
        interp.Run();
        byte[] fromA = interp.GetOutput(0).ToArray();
        interp.SetInput(0, b);
        interp.Run();
        byte[] fromB = interp.GetOutput(0).ToArray();
        interp.SetInput(0, a);
        interp.Run();
        interp.Run();
        Assert.Equal(fromA, interp.GetOutput(0).ToArray());
        Assert.NotEqual(fromA, fromB);
    }

    private static byte[] Input(TensorInfo info, Random rnd)
    {
        byte[] data = new byte[info.ByteSize];
        if (info.ElementType == ElementType.Float32)
        {
            Span<float> values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.AsSpan());
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)rnd.NextDouble();
            }
        }
        else
        {
            rnd.NextBytes(data);
        }

        return data;
    }

    private static byte[][] Outputs(Interpreter interp) =>
        Enumerable.Range(0, interp.Model.Outputs.Count).Select(o => interp.GetOutput(o).ToArray()).ToArray();
}
