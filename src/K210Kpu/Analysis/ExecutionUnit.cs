namespace K210Kpu.Analysis;

/// <summary>Which part of the K210 runs a layer.</summary>
public enum ExecutionUnit
{
    /// <summary>The KPU (a convolution layer).</summary>
    Kpu = 0,

    /// <summary>The RISC-V CPU (everything that is not a KPU convolution: quantize, pooling, softmax, padding, copies...).</summary>
    Cpu = 1,
}
