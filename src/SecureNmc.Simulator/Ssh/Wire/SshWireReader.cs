using System;
using System.Text;

namespace SecureNmc.Simulator.Ssh.Wire
{
    /// <summary>
    /// Reads RFC 4251 §5 data types from a buffer a peer sent. Every length is checked against
    /// what remains before anything is allocated, so hostile input cannot cause a huge allocation.
    /// </summary>
    public sealed class SshWireReader
    {
        private readonly byte[] _buffer;
        private readonly int _end;
        private int _position;

        public SshWireReader(byte[] buffer) : this(buffer, 0, buffer.Length) { }

        public SshWireReader(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
            _buffer = buffer;
            _position = offset;
            _end = offset + count;
        }

        public int Remaining => _end - _position;
        public bool AtEnd => _position >= _end;

        private void Need(int count, string what)
        {
            if (count < 0 || count > Remaining)
                throw new SshWireException($"SSH data truncated: {what} needs {count} bytes, {Remaining} left.");
        }

        public byte ReadByte()
        {
            Need(1, "byte");
            return _buffer[_position++];
        }

        public bool ReadBoolean() => ReadByte() != 0;

        public uint ReadUInt32()
        {
            Need(4, "uint32");
            uint v = (uint)(_buffer[_position] << 24 | _buffer[_position + 1] << 16 | _buffer[_position + 2] << 8 | _buffer[_position + 3]);
            _position += 4;
            return v;
        }

        public ulong ReadUInt64()
        {
            ulong hi = ReadUInt32();
            return hi << 32 | ReadUInt32();
        }

        public byte[] ReadBytes(int count)
        {
            Need(count, "bytes");
            var result = new byte[count];
            Buffer.BlockCopy(_buffer, _position, result, 0, count);
            _position += count;
            return result;
        }

        /// <summary>An SSH string as raw bytes.</summary>
        public byte[] ReadBinary()
        {
            uint length = ReadUInt32();
            if (length > (uint)Remaining) throw new SshWireException($"SSH string length {length} exceeds the {Remaining} bytes left.");
            return ReadBytes((int)length);
        }

        /// <summary>An SSH string decoded as UTF-8 (names, messages).</summary>
        public string ReadString() => Encoding.UTF8.GetString(ReadBinary());

        /// <summary>A name-list: comma-separated US-ASCII names.</summary>
        public string[] ReadNameList()
        {
            var text = Encoding.ASCII.GetString(ReadBinary());
            return text.Length == 0 ? Array.Empty<string>() : text.Split(',');
        }

        /// <summary>An mpint as its two's-complement bytes exactly as sent (callers decide sign handling).</summary>
        public byte[] ReadMpintRaw() => ReadBinary();

        /// <summary>
        /// An mpint that must be non-negative, returned as unsigned big-endian bytes without leading zeros.
        /// </summary>
        public byte[] ReadMpintUnsigned()
        {
            var raw = ReadBinary();
            if (raw.Length > 0 && (raw[0] & 0x80) != 0) throw new SshWireException("Negative mpint where a positive value is required.");
            int start = 0;
            while (start < raw.Length && raw[start] == 0) start++;
            var result = new byte[raw.Length - start];
            Buffer.BlockCopy(raw, start, result, 0, result.Length);
            return result;
        }

        /// <summary>Everything not yet read.</summary>
        public byte[] ReadRemaining() => ReadBytes(Remaining);
    }
}
