using K210Kpu.Imaging;

namespace K210Kpu.Tests.V4;

/// <summary>
/// lenet_mnist32_v4 against its author's own <c>ncc infer</c> outputs (../shared/images/mnist32/ref_*.bin, 10 float32
/// softmax values per image). The model and the images have no licence: they are read from ../shared, never vendored.
/// </summary>
public class V4LenetTests
{
    public static TheoryData<int> Images => new(Enumerable.Range(0, 20));

    [SharedTheory]
    [MemberData(nameof(Images))]
    public void Run_MnistImage_MatchesAuthorsNccInferOutput(int image)
    {
        string dir = Path.Combine(TestFiles.SharedDir!, "images", "mnist32");
        KModel model = KModel.Load(TestFiles.SharedModel("lenet_mnist32_v4"));
        byte[] input = PlanarPicture.Load(Path.Combine(dir, $"mnist_train_{image}.jpg"), 32, 32, 1).Data;
        byte[] expected = File.ReadAllBytes(Path.Combine(dir, $"ref_lenet_mnist32_v4_mnist_train_{image}.bin"));
        using var interp = new Interpreter(model);
        interp.SetInput(0, input);
        interp.Run();
        AssertBytes.Equal(expected, interp.GetOutput(0).ToArray(), $"lenet image {image}");
    }
}
