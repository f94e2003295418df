using System.Buffers.Binary;

namespace K210Kpu.Hardware;

/// <summary>
/// <c>kpu_layer_argument_t</c>: the 12 little-endian 64-bit registers of one KPU layer (96 bytes),
/// decoded into named fields (kpu-and-kmodel-v3 §2; SDK <c>lib/drivers/include/kpu.h</c>). Bit 0 is the LSB.
/// Signed fields are sign-extended from their width.
/// </summary>
internal readonly struct KpuLayerArgument
{
    /// <summary>Size of the register image in bytes.</summary>
    public const int SizeBytes = 96;

    private readonly ulong _r0, _r1, _r2, _r3, _r4, _r5, _r6, _r7, _r8, _r9, _r10, _r11;

    public KpuLayerArgument(ReadOnlySpan<byte> registers)
    {
        if (registers.Length < SizeBytes)
        {
            throw new ArgumentException($"a KPU layer argument is {SizeBytes} bytes", nameof(registers));
        }

        _r0 = R(registers, 0); _r1 = R(registers, 1); _r2 = R(registers, 2); _r3 = R(registers, 3);
        _r4 = R(registers, 4); _r5 = R(registers, 5); _r6 = R(registers, 6); _r7 = R(registers, 7);
        _r8 = R(registers, 8); _r9 = R(registers, 9); _r10 = R(registers, 10); _r11 = R(registers, 11);
    }

    private static ulong R(ReadOnlySpan<byte> s, int i) => BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(i * 8, 8));

    /// <summary>Unsigned field of <paramref name="width"/> bits at <paramref name="shift"/>.</summary>
    internal static ulong Field(ulong reg, int shift, int width) => (reg >> shift) & ((1UL << width) - 1);

    /// <summary>Signed (two's complement) field of <paramref name="width"/> bits at <paramref name="shift"/>.</summary>
    internal static long SignedField(ulong reg, int shift, int width) =>
        (long)(Field(reg, shift, width) << (64 - width)) >> (64 - width);

    /// <summary>Register <paramref name="index"/> (0..11) as stored.</summary>
    public ulong Register(int index) => index switch
    {
        0 => _r0, 1 => _r1, 2 => _r2, 3 => _r3, 4 => _r4, 5 => _r5,
        6 => _r6, 7 => _r7, 8 => _r8, 9 => _r9, 10 => _r10, 11 => _r11,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    // reg 0 interrupt_enabe
    /// <summary><c>interrupt_enabe.int_en</c>, bit 0.</summary>
    public bool IntEn => Field(_r0, 0, 1) != 0;
    /// <summary><c>interrupt_enabe.ram_flag</c>, bit 1.</summary>
    public bool RamFlag => Field(_r0, 1, 1) != 0;
    /// <summary><c>interrupt_enabe.full_add</c>, bit 2.</summary>
    public bool FullAdd => Field(_r0, 2, 1) != 0;
    /// <summary><c>interrupt_enabe.depth_wise_layer</c>, bit 3.</summary>
    public bool DepthWiseLayer => Field(_r0, 3, 1) != 0;

    // reg 1 image_addr
    /// <summary><c>image_addr.image_src_addr</c>, bits 0..14: input map row.</summary>
    public int ImageSrcAddr => (int)Field(_r1, 0, 15);
    /// <summary><c>image_addr.image_dst_addr</c>, bits 32..46: output map row.</summary>
    public int ImageDstAddr => (int)Field(_r1, 32, 15);

    // reg 2 image_channel_num
    /// <summary><c>image_channel_num.i_ch_num</c>, bits 0..9: input channels − 1.</summary>
    public int IChNum => (int)Field(_r2, 0, 10);
    /// <summary><c>image_channel_num.o_ch_num</c>, bits 32..41: output channels − 1.</summary>
    public int OChNum => (int)Field(_r2, 32, 10);
    /// <summary><c>image_channel_num.o_ch_num_coef</c>, bits 48..57: output channels per weight load − 1.</summary>
    public int OChNumCoef => (int)Field(_r2, 48, 10);

    // reg 3 image_size
    /// <summary><c>image_size.i_row_wid</c>, bits 0..9: input width − 1.</summary>
    public int IRowWid => (int)Field(_r3, 0, 10);
    /// <summary><c>image_size.i_col_high</c>, bits 10..18: input height − 1.</summary>
    public int IColHigh => (int)Field(_r3, 10, 9);
    /// <summary><c>image_size.o_row_wid</c>, bits 32..41: output (pooled) width − 1.</summary>
    public int ORowWid => (int)Field(_r3, 32, 10);
    /// <summary><c>image_size.o_col_high</c>, bits 42..50: output (pooled) height − 1.</summary>
    public int OColHigh => (int)Field(_r3, 42, 9);

    // reg 4 kernel_pool_type_cfg
    /// <summary><c>kernel_pool_type_cfg.kernel_type</c>, bits 0..2: 0 = 1×1, 1 = 3×3.</summary>
    public int KernelType => (int)Field(_r4, 0, 3);
    /// <summary><c>kernel_pool_type_cfg.pad_type</c>, bit 3.</summary>
    public int PadType => (int)Field(_r4, 3, 1);
    /// <summary><c>kernel_pool_type_cfg.pool_type</c>, bits 4..7.</summary>
    public int PoolType => (int)Field(_r4, 4, 4);
    /// <summary><c>kernel_pool_type_cfg.first_stride</c>, bit 8.</summary>
    public bool FirstStride => Field(_r4, 8, 1) != 0;
    /// <summary><c>kernel_pool_type_cfg.bypass_conv</c>, bit 9.</summary>
    public bool BypassConv => Field(_r4, 9, 1) != 0;
    /// <summary><c>kernel_pool_type_cfg.load_para</c>, bit 10.</summary>
    public bool LoadPara => Field(_r4, 10, 1) != 0;
    /// <summary><c>kernel_pool_type_cfg.dma_burst_size</c>, bits 16..23.</summary>
    public int DmaBurstSize => (int)Field(_r4, 16, 8);
    /// <summary><c>kernel_pool_type_cfg.pad_value</c>, bits 24..31 (uint8).</summary>
    public byte PadValue => (byte)Field(_r4, 24, 8);
    /// <summary><c>kernel_pool_type_cfg.bwsx_base_addr</c>, bits 32..63 (V4 files: padding bytes before the BN table).</summary>
    public uint BwsxBaseAddr => (uint)Field(_r4, 32, 32);

    // reg 5 kernel_load_cfg
    /// <summary><c>kernel_load_cfg.load_coor</c>, bit 0.</summary>
    public bool LoadCoor => Field(_r5, 0, 1) != 0;
    /// <summary><c>kernel_load_cfg.load_time</c>, bits 1..6: weight loads − 1.</summary>
    public int LoadTime => (int)Field(_r5, 1, 6);
    /// <summary><c>kernel_load_cfg.para_size</c>, bits 15..31: bytes per weight load.</summary>
    public int ParaSize => (int)Field(_r5, 15, 17);
    /// <summary><c>kernel_load_cfg.para_start_addr</c>, bits 32..63 (V4 files: padding bytes before the weights).</summary>
    public uint ParaStartAddr => (uint)Field(_r5, 32, 32);

    // reg 6 kernel_offset
    /// <summary><c>kernel_offset.coef_column_offset</c>, bits 0..3.</summary>
    public int CoefColumnOffset => (int)Field(_r6, 0, 4);
    /// <summary><c>kernel_offset.coef_row_offset</c>, bits 4..15.</summary>
    public int CoefRowOffset => (int)Field(_r6, 4, 12);

    // reg 7 kernel_calc_type_cfg
    /// <summary><c>kernel_calc_type_cfg.channel_switch_addr</c>, bits 0..14: input rows per channel block.</summary>
    public int ChannelSwitchAddr => (int)Field(_r7, 0, 15);
    /// <summary><c>kernel_calc_type_cfg.row_switch_addr</c>, bits 16..19: input rows per image line.</summary>
    public int RowSwitchAddr => (int)Field(_r7, 16, 4);
    /// <summary><c>kernel_calc_type_cfg.coef_size</c>, bits 20..27.</summary>
    public int CoefSize => (int)Field(_r7, 20, 8);
    /// <summary><c>kernel_calc_type_cfg.coef_group</c>, bits 28..30: input channels per row.</summary>
    public int CoefGroup => (int)Field(_r7, 28, 3);
    /// <summary><c>kernel_calc_type_cfg.load_act</c>, bit 31.</summary>
    public bool LoadAct => Field(_r7, 31, 1) != 0;
    /// <summary><c>kernel_calc_type_cfg.active_addr</c>, bits 32..63 (V4 files: padding bytes before the activation table).</summary>
    public uint ActiveAddr => (uint)Field(_r7, 32, 32);

    // reg 8 write_back_cfg
    /// <summary><c>write_back_cfg.wb_channel_switch_addr</c>, bits 0..14.</summary>
    public int WbChannelSwitchAddr => (int)Field(_r8, 0, 15);
    /// <summary><c>write_back_cfg.wb_row_switch_addr</c>, bits 16..19.</summary>
    public int WbRowSwitchAddr => (int)Field(_r8, 16, 4);
    /// <summary><c>write_back_cfg.wb_group</c>, bits 20..22.</summary>
    public int WbGroup => (int)Field(_r8, 20, 3);

    // reg 9 conv_value
    /// <summary><c>conv_value.shr_w</c>, bits 0..3.</summary>
    public int ShrW => (int)Field(_r9, 0, 4);
    /// <summary><c>conv_value.shr_x</c>, bits 4..7.</summary>
    public int ShrX => (int)Field(_r9, 4, 4);
    /// <summary><c>conv_value.arg_w</c>, bits 8..31, signed 24-bit: multiplies Σw.</summary>
    public long ArgW => SignedField(_r9, 8, 24);
    /// <summary><c>conv_value.arg_x</c>, bits 32..55, signed 24-bit: multiplies Σx.</summary>
    public long ArgX => SignedField(_r9, 32, 24);

    // reg 10 conv_value2
    /// <summary><c>conv_value2.arg_add</c>, bits 0..39, signed 40-bit.</summary>
    public long ArgAdd => SignedField(_r10, 0, 40);

    // reg 11 dma_parameter
    /// <summary><c>dma_parameter.send_data_out</c>, bit 0.</summary>
    public bool SendDataOut => Field(_r11, 0, 1) != 0;
    /// <summary><c>dma_parameter.channel_byte_num</c>, bits 16..31.</summary>
    public int ChannelByteNum => (int)Field(_r11, 16, 16);
    /// <summary><c>dma_parameter.dma_total_byte</c>, bits 32..63.</summary>
    public uint DmaTotalByte => (uint)Field(_r11, 32, 32);

    // derived
    /// <summary>Input width.</summary>
    public int InputWidth => IRowWid + 1;
    /// <summary>Input height.</summary>
    public int InputHeight => IColHigh + 1;
    /// <summary>Input channels.</summary>
    public int InputChannels => IChNum + 1;
    /// <summary>Output (pooled) width.</summary>
    public int OutputWidth => ORowWid + 1;
    /// <summary>Output (pooled) height.</summary>
    public int OutputHeight => OColHigh + 1;
    /// <summary>Output channels.</summary>
    public int OutputChannels => OChNum + 1;
    /// <summary>Kernel size: 1 or 3 (other kernel types are invalid).</summary>
    public int KernelSize => KernelType == 0 ? 1 : 3;
}
