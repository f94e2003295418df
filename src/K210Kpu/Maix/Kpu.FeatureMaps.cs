namespace K210Kpu.Maix;

/// <summary>Feature maps and model information: <c>fmap</c>, <c>fmap_free</c>, <c>netinfo</c>.</summary>
public static partial class Kpu
{
    /// <summary>
    /// <c>kpu.fmap(fmap, ch)</c>: channel <paramref name="channel"/> of a uint8 feature map as a W × H grayscale image of
    /// the raw quantised values (a copy; MaixPy's image aliases the fmap).
    /// </summary>
    /// <exception cref="MaixPyException">"ch err,input 0~{ch count}" for a channel out of range; "can't convet float fmap yet" (sic) for float maps.</exception>
    /// <exception cref="ObjectDisposedException">The map was disposed.</exception>
    public static Image Fmap(FeatureMap fmap, int channel)
    {
        ArgumentNullException.ThrowIfNull(fmap);
        ObjectDisposedException.ThrowIf(fmap.IsDisposed, fmap);
        if (channel < 0 || channel >= fmap.Ch)
        {
            throw MaixPyException.Value($"[MAIXPY]kpu: ch err,input 0~{fmap.Ch}\r\n");
        }

        if (fmap.ElementType != ElementType.UInt8)
        {
            throw MaixPyException.Value("[MAIXPY]kpu: can't convet float fmap yet\r\n");
        }

        var image = new Image(fmap.W, fmap.H, PixelFormat.Grayscale);
        fmap.Channel(channel).CopyTo(image.Data);
        return image;
    }

    /// <summary><c>kpu.fmap_free(fmap)</c>: releases the map (same as disposing it; a no-op on MaixPy since V3).</summary>
    public static void FmapFree(FeatureMap fmap)
    {
        ArgumentNullException.ThrowIfNull(fmap);
        fmap.Dispose();
    }

    /// <summary>
    /// The seed's feature-map routine as one call: <c>num = width·height / (w·h)</c> channels (at most the map's),
    /// each taken with <see cref="Fmap"/>, stretched with <see cref="Image.Stretch"/>(<paramref name="stretchMin"/>,
    /// <paramref name="stretchMax"/>) and drawn left to right, top to bottom on a black grayscale canvas.
    /// </summary>
    /// <returns>The mosaic (grayscale, <paramref name="width"/> × <paramref name="height"/>).</returns>
    /// <exception cref="MaixPyException">The map is float ("can't convet float fmap yet").</exception>
    public static Image FmapMosaic(FeatureMap fmap, int width = 320, int height = 240, int stretchMin = 64, int stretchMax = 255)
    {
        ArgumentNullException.ThrowIfNull(fmap);
        ObjectDisposedException.ThrowIf(fmap.IsDisposed, fmap);
        if (fmap.ElementType != ElementType.UInt8)
        {
            throw MaixPyException.Value("[MAIXPY]kpu: can't convet float fmap yet\r\n");
        }

        var canvas = new Image(width, height, PixelFormat.Grayscale);
        int w = fmap.W;
        int h = fmap.H;
        int num = Math.Min(width * height / w / h, fmap.Ch);
        int xStep = Math.Max(width / w, 1);
        for (int i = 0; i < num; i++)
        {
            Image map = Fmap(fmap, i);
            map.Stretch(stretchMin, stretchMax);
            canvas.DrawImage(map, (i % xStep) * w, (i / xStep) * h);
        }

        return canvas;
    }

    /// <summary>
    /// <c>kpu.netinfo(task)</c>: one record per layer of the task's current <see cref="KpuTask.LayerCount"/>
    /// (MaixPy also prints a line per layer; this does not).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The task was disposed.</exception>
    public static IReadOnlyList<LayerInfo> NetInfo(KpuTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        KModel model = task.Model;
        var result = new LayerInfo[task.LayerCount];
        for (int i = 0; i < result.Length; i++)
        {
            LayerDescriptor layer = model.Layers[i];
            string name = model.Format == KModelFormat.V3 ? LayerInfo.V3TypeName(layer.OpCode) : layer.Name;
            result[i] = layer.Kpu is { } k
                ? new LayerInfo(i, layer.OpCode, name, k.InputWidth, k.InputHeight, k.OutputWidth, k.OutputHeight, k.InputChannels, k.OutputChannels, k.Depthwise ? 1 : 0, k.KernelType, k.PoolType, k.ParaSize)
                : new LayerInfo(i, layer.OpCode, name, 0, 0, 0, 0, 0, 0, 0, 0, 0, layer.BodySize);
        }

        return result;
    }
}
