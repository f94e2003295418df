namespace K210Kpu.Hardware;

/// <summary>
/// One of the 16 segments of <c>kpu_activate_table_t</c>: <c>shift_number</c> bits 0..7, <c>y_mul</c> bits 8..23 (signed),
/// <c>x_start</c> bits 24..59 (signed 36-bit), and the segment's uint8 <c>result_bias</c>.
/// </summary>
internal readonly record struct KpuActivationSegment(long StartX, long Mul, int Shift, byte Add);
