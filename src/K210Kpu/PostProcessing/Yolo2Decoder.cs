namespace K210Kpu.PostProcessing;

/// <summary>
/// The YOLOv2 region layer as MaixPy's firmware runs it after the model (<c>sipeed_yolo2.c</c>, maixpy-api §4):
/// every step in single precision, in the firmware's order, so results match the device's.
/// </summary>
/// <remarks>
/// <para>Input: the model's float32 output, laid out <c>[anchor][entry][row][col]</c> with entries tx, ty, tw, th,
/// objectness and the class logits. Steps: sigmoid on tx, ty and objectness; softmax over the classes (max
/// subtracted); boxes <c>x = (col + σtx) / W</c>, <c>w = e^tw · anchor_w / W</c> (anchors in grid cells);
/// class probabilities σ(obj)·softmax kept when strictly above the threshold; NMS per class over the boxes sorted
/// by that class's probability with the BSD quicksort MaixPy links (its order for equal scores decides which
/// box survives), the sort order carried from one class to the next; then the boxes in anchor, row, column order
/// whose best class (first maximum) is still above the threshold.</para>
/// <para>Class count: the firmware computes <c>output_channels / 5 - 5</c>, right only for five anchors; this
/// decoder uses <c>output_channels / anchors - 5</c>, which is the same for five anchors.</para>
/// <para>Boxes become integer edges as the K210 converts float → uint32 (truncation, negatives to 0, saturation at
/// 2³²-1), and width/height are <c>x2 - x1</c> in uint32 stored in int16 (MaixPy's <c>rectangle_t</c>).
/// Unlike the firmware (a 10-entry static array without bounds check, and a uint8 count), every detection is returned.</para>
/// </remarks>
public static class Yolo2Decoder
{
    private const int Coords = 4;

    /// <summary>Number of classes for a given output channel count and anchor count (<c>channels / anchors - 5</c>).</summary>
    public static int ClassCount(int channels, int anchorNumber) => anchorNumber <= 0 ? 0 : (channels / anchorNumber) - 5;

    /// <summary>Runs the region layer on a copy of <paramref name="output"/> (the firmware works in place; the caller's data is left unchanged).</summary>
    /// <param name="output">Model output, float32 <c>[anchors·(5+classes)][layerHeight][layerWidth]</c>.</param>
    /// <param name="layerWidth">Grid width (last conv layer's output width).</param>
    /// <param name="layerHeight">Grid height.</param>
    /// <param name="channels">Output channels (anchors · (5 + classes)).</param>
    /// <param name="netWidth">Model input width: boxes are scaled to it.</param>
    /// <param name="netHeight">Model input height.</param>
    /// <param name="options">Threshold, NMS value, anchors.</param>
    /// <returns>The detections in the firmware's order (anchor, then row, then column); empty when none.</returns>
    /// <exception cref="ArgumentException">The shape does not fit the anchors or the output is too short.</exception>
    public static IReadOnlyList<Detection> Decode(
        ReadOnlySpan<float> output, int layerWidth, int layerHeight, int channels, int netWidth, int netHeight, Yolo2Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int anchors = options.AnchorNumber;
        int classes = ClassCount(channels, anchors);
        if (layerWidth < 1 || layerHeight < 1 || classes < 1 || channels % anchors != 0)
        {
            throw new ArgumentException($"an output of {channels} channels does not hold {anchors} anchors × (5 + classes ≥ 1) entries");
        }

        long needed = (long)layerWidth * layerHeight * channels;
        if (output.Length < needed)
        {
            throw new ArgumentException($"the output holds {output.Length} floats; {layerWidth}x{layerHeight}x{channels} needs {needed}");
        }

        float[] data = output[..(int)needed].ToArray();
        int wh = layerWidth * layerHeight;
        int boxesNumber = wh * anchors;
        int entries = Coords + 1 + classes;

        // A: sigmoid on tx, ty (2·wh contiguous values) and on the objectness (wh values) of every anchor.
        for (int n = 0; n < anchors; n++)
        {
            int baseIndex = n * wh * entries;
            Sigmoid(data.AsSpan(baseIndex, 2 * wh));
            Sigmoid(data.AsSpan(baseIndex + (4 * wh), wh));
        }

        // B: softmax over the class logits of every (anchor, cell), stride wh.
        for (int n = 0; n < anchors; n++)
        {
            for (int g = 0; g < wh; g++)
            {
                Softmax(data.AsSpan((n * wh * entries) + (5 * wh) + g), classes, wh);
            }
        }

        // C, D: boxes and thresholded class probabilities. probs[box][classes] holds the max (unused later, kept for parity).
        var boxes = new Box[boxesNumber];
        float[] probs = new float[boxesNumber * (classes + 1)];
        float threshold = options.Threshold;
        for (int i = 0; i < wh; i++)
        {
            int row = i / layerWidth;
            int col = i % layerWidth;
            for (int n = 0; n < anchors; n++)
            {
                int index = (n * wh) + i;
                int boxIndex = (n * wh * entries) + i;
                float scale = data[boxIndex + (4 * wh)];
                boxes[index] = new Box(
                    (col + data[boxIndex]) / layerWidth,
                    (row + data[boxIndex + wh]) / layerHeight,
                    MathF.Exp(data[boxIndex + (2 * wh)]) * options.Anchors[2 * n] / layerWidth,
                    MathF.Exp(data[boxIndex + (3 * wh)]) * options.Anchors[(2 * n) + 1] / layerHeight);
                float max = 0;
                for (int j = 0; j < classes; j++)
                {
                    float prob = scale * data[boxIndex + ((5 + j) * wh)];
                    probs[(index * (classes + 1)) + j] = prob > threshold ? prob : 0;
                    if (prob > max)
                    {
                        max = prob;
                    }
                }

                probs[(index * (classes + 1)) + classes] = max;
            }
        }

        // E: correct_region_boxes is the identity here (image size == net size).
        // F, G: NMS per class.
        int[] order = new int[boxesNumber];
        for (int i = 0; i < boxesNumber; i++)
        {
            order[i] = i;
        }

        float nms = options.NmsValue;
        for (int k = 0; k < classes; k++)
        {
            var comparer = new ProbabilityComparer(probs, classes + 1, k);
            BsdQsort.Sort(order.AsSpan(), ref comparer);
            for (int i = 0; i < boxesNumber; i++)
            {
                if (probs[(order[i] * (classes + 1)) + k] == 0)
                {
                    continue;
                }

                Box a = boxes[order[i]];
                for (int j = i + 1; j < boxesNumber; j++)
                {
                    if (Iou(a, boxes[order[j]]) > nms)
                    {
                        probs[(order[j] * (classes + 1)) + k] = 0;
                    }
                }
            }
        }

        // H, I, J: output in box order.
        var found = new List<(uint X1, uint Y1, uint X2, uint Y2, int Class, float Prob)>();
        for (int i = 0; i < boxesNumber; i++)
        {
            int rowStart = i * (classes + 1);
            int best = 0;
            float bestProb = probs[rowStart];
            for (int j = 1; j < classes; j++)
            {
                if (probs[rowStart + j] > bestProb)
                {
                    bestProb = probs[rowStart + j];
                    best = j;
                }
            }

            if (bestProb > threshold)
            {
                Box b = boxes[i];
                float iw = netWidth;
                float ih = netHeight;
                found.Add((
                    ToUInt32((b.X * iw) - (b.W * iw / 2)),
                    ToUInt32((b.Y * ih) - (b.H * ih / 2)),
                    ToUInt32((b.X * iw) + (b.W * iw / 2)),
                    ToUInt32((b.Y * ih) + (b.H * ih / 2)),
                    best,
                    bestProb));
            }
        }

        var result = new Detection[found.Count];
        for (int i = 0; i < found.Count; i++)
        {
            (uint x1, uint y1, uint x2, uint y2, int cls, float prob) = found[i];
            result[i] = new Detection((short)x1, (short)y1, (short)(x2 - x1), (short)(y2 - y1), prob, cls, i, found.Count);
        }

        return result;
    }

    /// <summary>The K210's float → uint32 conversion (<c>fcvt.wu.s</c>): truncation toward zero, negatives to 0, NaN and overflow to 2³²-1.</summary>
    internal static uint ToUInt32(float v)
    {
        if (float.IsNaN(v) || v >= 4294967296f)
        {
            return uint.MaxValue;
        }

        return v <= 0 ? 0u : (uint)v;
    }

    private static void Sigmoid(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = 1f / (1f + MathF.Exp(-values[i]));
        }
    }

    private static void Softmax(Span<float> data, int n, int stride)
    {
        float largest = data[0];
        for (int i = 0; i < n; i++)
        {
            if (data[i * stride] > largest)
            {
                largest = data[i * stride];
            }
        }

        float sum = 0;
        for (int i = 0; i < n; i++)
        {
            float e = MathF.Exp(data[i * stride] - largest);
            sum += e;
            data[i * stride] = e;
        }

        for (int i = 0; i < n; i++)
        {
            data[i * stride] /= sum;
        }
    }

    private static float Overlap(float x1, float w1, float x2, float w2)
    {
        float l1 = x1 - (w1 / 2);
        float l2 = x2 - (w2 / 2);
        float left = l1 > l2 ? l1 : l2;
        float r1 = x1 + (w1 / 2);
        float r2 = x2 + (w2 / 2);
        float right = r1 < r2 ? r1 : r2;
        return right - left;
    }

    private static float Iou(Box a, Box b)
    {
        float w = Overlap(a.X, a.W, b.X, b.W);
        float h = Overlap(a.Y, a.H, b.Y, b.H);
        float inter = w < 0 || h < 0 ? 0 : w * h;
        float union = (a.W * a.H) + (b.W * b.H) - inter;
        return inter / union;
    }

    private readonly record struct Box(float X, float Y, float W, float H);

    private readonly struct ProbabilityComparer : IBsdComparer<int>
    {
        private readonly float[] _probs;
        private readonly int _stride;
        private readonly int _class;

        public ProbabilityComparer(float[] probs, int stride, int cls)
        {
            _probs = probs;
            _stride = stride;
            _class = cls;
        }

        // nms_comparator: descending by the class probability, via the float difference.
        public int Compare(int x, int y)
        {
            float diff = _probs[(x * _stride) + _class] - _probs[(y * _stride) + _class];
            return diff < 0 ? 1 : diff > 0 ? -1 : 0;
        }
    }
}
