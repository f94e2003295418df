namespace K210Kpu.Maix;

/// <summary>
/// An error MaixPy's <c>KPU</c> module raises, with its text verbatim (trailing "\r\n" and spaces removed) and its
/// code where it has one (2001–2015). <see cref="PythonType"/> names the Python exception MaixPy raises.
/// </summary>
public sealed class MaixPyException : Exception
{
    internal MaixPyException(string pythonType, string message, KpuErrorCode code = KpuErrorCode.None, string? printed = null, Exception? inner = null)
        : base(message.TrimEnd('\r', '\n', ' '), inner)
    {
        PythonType = pythonType;
        Code = code;
        Printed = printed?.TrimEnd('\r', '\n', ' ');
    }

    /// <summary>The error code (2001–2015), or <see cref="KpuErrorCode.None"/> when MaixPy raises a text only.</summary>
    public KpuErrorCode Code { get; }

    /// <summary>The Python exception type MaixPy raises: "ValueError", "OSError" or "TypeError".</summary>
    public string PythonType { get; }

    /// <summary>The line MaixPy prints to the console before raising (e.g. the image/model size mismatch), or null.</summary>
    public string? Printed { get; }

    /// <summary>MaixPy's text for a code (<c>get_kpu_err_str</c>).</summary>
    public static string Describe(KpuErrorCode code) => code switch
    {
        KpuErrorCode.None => "ERR_NONE",
        KpuErrorCode.Param => "ERR_PARAM: please check param, load address or kmodel file name",
        KpuErrorCode.KModelVersion => "ERR_KMODEL_VERSION: only support kmodel V3/V4 now",
        KpuErrorCode.KModelFormat => "ERR_KMODEL_FORMAT: layer_header.body_size <=0",
        KpuErrorCode.Decrypt => "ERR_DECRYPT: check smodel match with your board",
        KpuErrorCode.ReadFile => "ERR_READ_FILE: read file failed",
        KpuErrorCode.NoMemory => "ERR_NO_MEM: memory not enough",
        KpuErrorCode.GetConvLayer => "ERR_GET_CONV_LAYER: first layer should be conv layer",
        KpuErrorCode.RunModel => "ERR_RUN_MODEL: maybe model dirty",
        KpuErrorCode.ModelsFull => "ERR_MODELS_FULL: we only support load 5 models in the same time",
        KpuErrorCode.Permission => "ERR_PERMITION",
        KpuErrorCode.IndexOutOfRange => "SIPEED_KPU_ERR_IDX_OUTRANGE",
        KpuErrorCode.SizeNotMatch => "SIPEED_KPU_ERR_SIZE_NOTMATCH",
        KpuErrorCode.OutputsNotSet => "ERR_OUTPUTS_SET: need kpu.set_outputs() to set shape",
        KpuErrorCode.NotImplemented => "ERR_NOT_IMPLEMENT",
        _ => "ERR_UNKNOWN",
    };

    internal static MaixPyException Load(KpuErrorCode code, Exception? inner = null) =>
        new("ValueError", $"[MAIXPY]kpu: load error:{(int)code}, {Describe(code)}", code, null, inner);

    internal static MaixPyException Value(string message, string? printed = null) => new("ValueError", message, KpuErrorCode.None, printed);

    internal static MaixPyException OS(string message, KpuErrorCode code = KpuErrorCode.None, Exception? inner = null) => new("OSError", message, code, null, inner);

    /// <inheritdoc />
    public override string ToString() => Printed is null ? base.ToString() : Printed + Environment.NewLine + base.ToString();
}
