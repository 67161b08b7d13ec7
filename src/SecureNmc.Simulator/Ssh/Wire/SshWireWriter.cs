using System;
using System.IO;
using System.Text;

namespace SecureNmc.Simulator.Ssh.Wire
{
    /// <summary>Writes RFC 4251 §5 data types.</summary>
    public sealed class SshWireWriter
    {
        private readonly MemoryStream _stream = new MemoryStream();

        public int Length => (int)_stream.Length;

        public SshWireWriter WriteByte(byte value)
        {
            _stream.WriteByte(value);
            return this;
        }

        public SshWireWriter WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

        public SshWireWriter WriteUInt32(uint value)
        {
            _stream.WriteByte((byte)(value >> 24));
            _stream.WriteByte((byte)(value >> 16));
            _stream.WriteByte((byte)(value >> 8));
            _stream.WriteByte((byte)value);
            return this;
        }

        public SshWireWriter WriteUInt64(ulong value) => WriteUInt32((uint)(value >> 32)).WriteUInt32((uint)value);

        public SshWireWriter WriteBytes(byte[] data) => WriteBytes(data, 0, data.Length);

        public SshWireWriter WriteBytes(byte[] data, int offset, int count)
        {
            _stream.Write(data, offset, count);
            return this;
        }

        /// <summary>An SSH string from raw bytes.</summary>
        public SshWireWriter WriteBinary(byte[] data) => WriteBinary(data, 0, data.Length);

        public SshWireWriter WriteBinary(byte[] data, int offset, int count)
        {
            WriteUInt32((uint)count);
            return WriteBytes(data, offset, count);
        }

        public SshWireWriter WriteString(string text) => WriteBinary(Encoding.UTF8.GetBytes(text));

        public SshWireWriter WriteNameList(params string[] names) => WriteBinary(Encoding.ASCII.GetBytes(string.Join(",", names)));

        /// <summary>
        /// An mpint from an unsigned big-endian magnitude: leading zeros dropped, a zero byte
        /// prepended when the top bit is set so the value stays positive (RFC 4251 §5).
        /// </summary>
        public SshWireWriter WriteMpintUnsigned(byte[] magnitude)
        {
            int start = 0;
            while (start < magnitude.Length && magnitude[start] == 0) start++;
            int length = magnitude.Length - start;
            bool pad = length > 0 && (magnitude[start] & 0x80) != 0;
            WriteUInt32((uint)(length + (pad ? 1 : 0)));
            if (pad) _stream.WriteByte(0);
            return WriteBytes(magnitude, start, length);
        }

        public byte[] ToArray() => _stream.ToArray();
    }
}
