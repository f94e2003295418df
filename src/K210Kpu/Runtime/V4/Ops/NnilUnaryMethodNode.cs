using System.Buffers.Binary;
using System.Runtime.InteropServices;
using K210Kpu.Kernels.Cpu;
using K210Kpu.Model;
using K210Kpu.Model.V4;

namespace K210Kpu.Runtime.V4.Ops;

/// <summary>
/// nnil_unary_method (0x14, variable): a small stack-machine program (the rest of the body, alignment zeros included,
/// which decode as nops) run once per float32 element (nncase <c>runtime/nnil.h</c>, <c>kernels::neutral::nnil_unary_method</c>).
/// The program has no branches, so its stack depth is the same for every element: it is checked once at load time,
/// and a program that would underflow, overflow the 64-entry stack or hit an unknown opcode is rejected then.
/// </summary>
internal sealed class NnilUnaryMethodNode : V4Node
{
    private const int StackSize = 64;

    private V4MemoryRange _input;
    private V4MemoryRange _output;
    private Instruction[] _program = [];
    private bool _returns;

    private NnilUnaryMethodNode(V4LoadContext context)
        : base(context)
    {
    }

    public override V4MemoryRange Output => _output;

    /// <summary>nnil opcodes.</summary>
    internal enum NnilOp : byte
    {
        Nop = 0x00,
        Dup = 0x01,
        Pop = 0x02,
        Lda0 = 0x03,
        LdcR4Zero = 0x04,
        LdcR4One = 0x05,
        LdcR4 = 0x06,
        Abs = 0x20,
        Ceil = 0x21,
        Cos = 0x22,
        Exp = 0x23,
        Floor = 0x24,
        Log = 0x25,
        Neg = 0x26,
        Rsqrt = 0x27,
        Sin = 0x28,
        Square = 0x29,
        Add = 0x40,
        Sub = 0x41,
        Mul = 0x42,
        Div = 0x43,
        Min = 0x44,
        Max = 0x45,
        Clamp = 0x80,
        Ret = 0xA0,
    }

    public static NnilUnaryMethodNode Parse(ref SpanReader r, V4LoadContext ctx)
    {
        var n = new NnilUnaryMethodNode(ctx)
        {
            _input = ctx.ReadRange(ref r, "input"),
            _output = ctx.ReadRange(ref r, "output"),
        };
        long programStart = r.FileOffset;
        ReadOnlySpan<byte> body = r.ReadBytes(r.Remaining, "nnil body");
        var program = new List<Instruction>();
        int depth = 0;
        int pc = 0;
        while (pc < body.Length)
        {
            var op = (NnilOp)body[pc];
            long at = programStart + pc;
            pc++;
            float imm = 0;
            int pops, pushes;
            switch (op)
            {
                case NnilOp.Nop:
                    continue;
                case NnilOp.Dup:
                    pops = 1;
                    pushes = 2;
                    break;
                case NnilOp.Pop:
                    pops = 1;
                    pushes = 0;
                    break;
                case NnilOp.Lda0:
                case NnilOp.LdcR4Zero:
                case NnilOp.LdcR4One:
                    pops = 0;
                    pushes = 1;
                    break;
                case NnilOp.LdcR4:
                    if (body.Length - pc < 4)
                    {
                        ThrowHelper.Format($"node {ctx.Index} (NNILUnaryMethod): ldc_r4 at 0x{at:X} lacks its 4-byte operand", at);
                    }

                    // The immediate is unaligned little-endian.
                    imm = BinaryPrimitives.ReadSingleLittleEndian(body.Slice(pc, 4));
                    pc += 4;
                    pops = 0;
                    pushes = 1;
                    break;
                case >= NnilOp.Abs and <= NnilOp.Square:
                    pops = 1;
                    pushes = 1;
                    break;
                case >= NnilOp.Add and <= NnilOp.Max:
                    pops = 2;
                    pushes = 1;
                    break;
                case NnilOp.Clamp:
                    pops = 3;
                    pushes = 1;
                    break;
                case NnilOp.Ret:
                    pops = 1;
                    pushes = 0;
                    break;
                default:
                    ctx.Fail($"invalid nnil opcode 0x{(byte)op:X2} at 0x{at:X}");
                    return n;
            }

            if (depth < pops)
            {
                ctx.Fail($"nnil stack underflow at 0x{at:X} ({op})");
            }

            depth += pushes - pops;
            if (depth > StackSize)
            {
                ctx.Fail($"nnil stack overflow at 0x{at:X} ({op})");
            }

            program.Add(new Instruction(op, imm));
            if (op == NnilOp.Ret)
            {
                n._returns = true;
                break;
            }
        }

        n._program = [.. program];
        ctx.Need(n._input, n._input.Size / 4 * 4, "input");
        ctx.NeedOutput(n._output, n._returns ? n._input.Size / 4 * 4 : 0, "output");
        return n;
    }

    public override void Run(V4Executor ex)
    {
        ReadOnlySpan<float> input = MemoryMarshal.Cast<byte, float>(ex.Read(_input));
        Span<float> output = MemoryMarshal.Cast<byte, float>(ex.Write(_output));
        Span<float> stack = stackalloc float[StackSize + 1];
        for (int i = 0; i < input.Length; i++)
        {
            int top = 0;
            foreach (Instruction ins in _program)
            {
                switch (ins.Op)
                {
                    case NnilOp.Dup:
                        stack[top] = stack[top - 1];
                        top++;
                        break;
                    case NnilOp.Pop:
                        top--;
                        break;
                    case NnilOp.Lda0:
                        stack[top++] = input[i];
                        break;
                    case NnilOp.LdcR4Zero:
                        stack[top++] = 0f;
                        break;
                    case NnilOp.LdcR4One:
                        stack[top++] = 1f;
                        break;
                    case NnilOp.LdcR4:
                        stack[top++] = ins.Immediate;
                        break;
                    case >= NnilOp.Abs and <= NnilOp.Square:
                        stack[top - 1] = UnaryNode.Apply(ins.Op - NnilOp.Abs, stack[top - 1]);
                        break;
                    case >= NnilOp.Add and <= NnilOp.Max:
                    {
                        float b = stack[--top];
                        float a = stack[top - 1];
                        stack[top - 1] = ins.Op switch
                        {
                            NnilOp.Add => a + b,
                            NnilOp.Sub => a - b,
                            NnilOp.Mul => a * b,
                            NnilOp.Div => a / b,
                            NnilOp.Min => NeutralMath.Min(a, b),
                            _ => NeutralMath.Max(a, b),
                        };
                        break;
                    }

                    case NnilOp.Clamp:
                    {
                        float high = stack[--top];
                        float low = stack[--top];
                        stack[top - 1] = NeutralMath.Clamp(stack[top - 1], low, high);
                        break;
                    }

                    case NnilOp.Ret:
                        output[i] = stack[--top];
                        break;
                }
            }
        }
    }

    public override LayerDescriptor Describe() => RangeDescriptor(
        [1, 1, 1, (int)(_input.Size / 4)],
        0,
        $"{_input} -> {_output}, nnil: {string.Join(' ', _program.Select(p => p.Op == NnilOp.LdcR4 ? $"ldc_r4 {p.Immediate:G9}" : p.Op.ToString().ToLowerInvariant()))}");

    /// <summary>One decoded nnil instruction.</summary>
    internal readonly record struct Instruction(NnilOp Op, float Immediate);
}
