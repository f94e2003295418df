namespace K210Kpu.Maix;

/// <summary>MaixPy's KPU error codes (<c>sipeed_kpu_err_t</c>, maixpy-api §1.2).</summary>
public enum KpuErrorCode
{
    /// <summary>No code: MaixPy raised the error with a text only.</summary>
    None = 0,

    /// <summary>2001 <c>ERR_PARAM</c>: bad load address or file name.</summary>
    Param = 2001,

    /// <summary>2002 <c>ERR_KMODEL_VERSION</c>: not a kmodel V3/V4.</summary>
    KModelVersion = 2002,

    /// <summary>2003 <c>ERR_KMODEL_FORMAT</c>: a layer header is impossible.</summary>
    KModelFormat = 2003,

    /// <summary>2004 <c>ERR_DECRYPT</c>: an encrypted model (.smodel/.emodel) that cannot be decrypted.</summary>
    Decrypt = 2004,

    /// <summary>2005 <c>ERR_READ_FILE</c>: the file cannot be read.</summary>
    ReadFile = 2005,

    /// <summary>2006 <c>ERR_NO_MEM</c>: not enough memory.</summary>
    NoMemory = 2006,

    /// <summary>2007 <c>ERR_GET_CONV_LAYER</c>: the first layer is not a KPU convolution.</summary>
    GetConvLayer = 2007,

    /// <summary>2008 <c>ERR_RUN_MODEL</c>: the run failed.</summary>
    RunModel = 2008,

    /// <summary>2009 <c>ERR_MODELS_FULL</c>: five models are loaded already.</summary>
    ModelsFull = 2009,

    /// <summary>2010 <c>ERR_PERMITION</c>.</summary>
    Permission = 2010,

    /// <summary>2011 <c>IDX_OUTRANGE</c>: an output index out of range.</summary>
    IndexOutOfRange = 2011,

    /// <summary>2012 <c>SIZE_NOTMATCH</c>: a shape does not match the output size.</summary>
    SizeNotMatch = 2012,

    /// <summary>2013 <c>ERR_OUTPUTS_SET</c>: the V4 output shape was not set with <c>set_outputs</c>.</summary>
    OutputsNotSet = 2013,

    /// <summary>2014 <c>ERR_NOT_IMPLEMENT</c>.</summary>
    NotImplemented = 2014,

    /// <summary>2015 <c>ERR_UNKNOWN</c>.</summary>
    Unknown = 2015,
}
