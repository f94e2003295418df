namespace K210Kpu;

/// <summary>Throw sites of the kmodel V4 reader.</summary>
internal static partial class ThrowHelper
{
    /// <summary>The exception for a V4 opcode the runtime does not know (the reference stops with "Unknown opcode").</summary>
    public static UnsupportedOperatorException UnknownV4Opcode(uint opCode, int nodeIndex) =>
        new($"node {nodeIndex}: opcode 0x{opCode:X} is not a kmodel V4 opcode (the reference runtime stops with \"Unknown opcode\")", opCode, "unknown", nodeIndex);
}
