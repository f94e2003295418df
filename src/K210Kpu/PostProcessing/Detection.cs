namespace K210Kpu.PostProcessing;

/// <summary>
/// One object found by the YOLOv2 region layer: MaixPy's <c>kpu_yolo2_find</c>. Coordinates are in model-input
/// pixels (the box's left/top edges clamped at 0 as the K210's float→unsigned conversion does).
/// </summary>
/// <param name="X">Left edge (<c>x()</c>).</param>
/// <param name="Y">Top edge (<c>y()</c>).</param>
/// <param name="W">Width (<c>w()</c>).</param>
/// <param name="H">Height (<c>h()</c>).</param>
/// <param name="Value">Class probability σ(objectness) · softmax(class) (<c>value()</c>).</param>
/// <param name="ClassId">0-based class (<c>classid()</c>).</param>
/// <param name="Index">Position of this object in the returned list (<c>index()</c>).</param>
/// <param name="ObjNum">Number of objects returned by the call (<c>objnum()</c>).</param>
public readonly record struct Detection(int X, int Y, int W, int H, float Value, int ClassId, int Index, int ObjNum)
{
    /// <summary>The rectangle <c>(x, y, w, h)</c> (MaixPy's <c>rect()</c>), ready for <c>Image.DrawRectangle</c>.</summary>
    public (int X, int Y, int W, int H) Rect() => (X, Y, W, H);

    /// <summary>MaixPy's print form: <c>{"x":102, "y":55, "w":64, "h":86, "value":0.938012, "classid":0, "index":0, "objnum":1}</c>.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"x\":{X}, \"y\":{Y}, \"w\":{W}, \"h\":{H}, \"value\":{Value:F6}, \"classid\":{ClassId}, \"index\":{Index}, \"objnum\":{ObjNum}}}");
}
