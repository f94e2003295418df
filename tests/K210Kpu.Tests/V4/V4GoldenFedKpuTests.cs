using K210Kpu.Model.V4;
using K210Kpu.Runtime.V4;
using K210Kpu.Runtime.V4.Ops;

namespace K210Kpu.Tests.V4;

/// <summary>
/// Runs the V4 golden models with every kpu_conv2d node replaced by its golden node dump (written to KPU RAM at
/// image_dst_addr and to the main-memory output, as the node would): checks every other node, the reader and the
/// memory plumbing byte for byte, independently of the KPU pipeline.
/// </summary>
public class V4GoldenFedKpuTests
{
    public static TheoryData<string, string> NodeCases => new()
    {
        { "canmv_face_detect_320x240_v4", "image" },
        { "canmv_mnist_112_v4", "image" },
        { "canmv_mobilenet025_features_v4", "image" },
        { "maixpy_asr_v4", "ramp" },
        { "nncase_ulffd_landmark_v4", "image" },
        { "nncase_ulffd_ultra_face_v4", "image" },
        { "nncase_voc20_yolo2_v4", "image" },
    };

    [SharedTheory]
    [MemberData(nameof(NodeCases))]
    public void Run_GoldenFedKpu_EveryOtherNodeMatchesGolden(string model, string name)
    {
        var c = new V4GoldenCase(model, name);
        (KModel m, V4Executor ex) = Run(c, ArithmeticMode.Reference, (i, m2, ex2) =>
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(c.Dir, c.NodeFiles[i]));
            byte[] actual = new byte[m2.Layers[i].OutputBytes];
            ex2.ReadLayerOutput(i, actual);
            string? failure = AssertBytes.FirstDifference(expected, actual, $"{c} node {i} ({m2.Layers[i].Name})");
            Assert.True(failure is null, failure);
        });
        for (int i = 0; i < c.OutputCount; i++)
        {
            AssertBytes.Equal(c.Output(i), ex.GetOutput(i).ToArray(), $"{c} output {i}");
        }

        ex.Dispose();
    }

    private static (KModel Model, V4Executor Executor) Run(V4GoldenCase c, ArithmeticMode mode, Action<int, KModel, V4Executor>? afterNode)
    {
        KModel m = KModel.Load(c.ModelPath);
        var program = (V4Program)m.Program;
        var ex = new V4Executor(m, new RunOptions { Mode = mode }, program);
        ex.SetInput(0, c.Input);
        for (int i = 0; i < program.Nodes.Length; i++)
        {
            if (program.Nodes[i] is KpuConv2DNode kpu)
            {
                byte[] golden = File.ReadAllBytes(Path.Combine(c.Dir, c.NodeFiles[i]));
                K210Kpu.Hardware.KpuLayerArgument a = kpu.Layer.Arguments;
                ex.Kpu.Upload(golden, a.ImageDstAddr, a.OutputWidth, a.OutputHeight, a.OutputChannels, kpu.Layer.Batches);
                if (kpu.Output.Size != 0)
                {
                    golden.CopyTo(ex.Write(kpu.Output));
                }
            }
            else
            {
                ex.RunLayer(i);
            }

            afterNode?.Invoke(i, m, ex);
        }

        return (m, ex);
    }
}
