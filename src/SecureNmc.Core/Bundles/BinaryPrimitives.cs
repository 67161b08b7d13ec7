using System.IO;

namespace SecureNmc.Core.Bundles
{
    /// <summary>Big-endian integers for the bundle format (netstandard2.0 lacks System.Buffers.Binary here).</summary>
    internal static class BinaryPrimitives
    {
        public static void WriteUInt32(Stream s, uint v)
        {
            s.WriteByte((byte)(v >> 24));
            s.WriteByte((byte)(v >> 16));
            s.WriteByte((byte)(v >> 8));
            s.WriteByte((byte)v);
        }

        public static void WriteUInt64(Stream s, ulong v)
        {
            WriteUInt32(s, (uint)(v >> 32));
            WriteUInt32(s, (uint)v);
        }

        public static void WriteUInt16(Stream s, ushort v)
        {
            s.WriteByte((byte)(v >> 8));
            s.WriteByte((byte)v);
        }

        public static uint ReadUInt32(byte[] b, int o) => (uint)(b[o] << 24 | b[o + 1] << 16 | b[o + 2] << 8 | b[o + 3]);

        public static ulong ReadUInt64(byte[] b, int o) => (ulong)ReadUInt32(b, o) << 32 | ReadUInt32(b, o + 4);

        public static ushort ReadUInt16(byte[] b, int o) => (ushort)(b[o] << 8 | b[o + 1]);

        public static byte[] UInt64Bytes(ulong v) => new[] { (byte)(v >> 56), (byte)(v >> 48), (byte)(v >> 40), (byte)(v >> 32), (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v };

        public static byte[] UInt32Bytes(uint v) => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v };
    }
}
