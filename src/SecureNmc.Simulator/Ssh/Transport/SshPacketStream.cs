using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Algorithms;

namespace SecureNmc.Simulator.Ssh.Transport
{
    /// <summary>
    /// The binary packet protocol (RFC 4253 §6) over one stream: identification lines, then
    /// framed, padded, encrypted and authenticated packets with per-direction sequence numbers.
    /// Reads are buffered; every length a peer sends is bounded before anything is allocated.
    /// Not thread-safe per direction: one reader and one (locked) writer at a time.
    /// </summary>
    internal sealed class SshPacketStream
    {
        /// <summary>Largest packet_length accepted (OpenSSH uses the same 256 KiB ceiling).</summary>
        public const int MaxPacketLength = 256 * 1024;
        /// <summary>Identification and pre-banner lines: RFC 4253 §4.2 allows 255 bytes; we tolerate more, within reason.</summary>
        private const int MaxLineLength = 1024;

        private readonly Stream _stream;
        private readonly byte[] _readBuffer = new byte[64 * 1024];
        private int _readStart;
        private int _readEnd;
        private readonly RandomNumberGenerator _random = RandomNumberGenerator.Create();

        private IPacketProtection _sendProtection;
        private IPacketProtection _receiveProtection;

        public SshPacketStream(Stream stream, IPacketProtection initialProtection, IPacketProtection initialReceiveProtection)
        {
            _stream = stream;
            _sendProtection = initialProtection;
            _receiveProtection = initialReceiveProtection;
        }

        public uint SendSequence { get; private set; }
        public uint ReceiveSequence { get; private set; }
        public long BytesSent { get; private set; }
        public long BytesReceived { get; private set; }
        public long PacketsSent { get; private set; }
        public long PacketsReceived { get; private set; }

        /// <summary>Hard limit for finishing a packet (or a line) once its first byte has arrived, and for each write.</summary>
        public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(60);

        public void SetSendProtection(IPacketProtection protection, bool resetSequence)
        {
            _sendProtection = protection;
            if (resetSequence) SendSequence = 0;
        }

        public void SetReceiveProtection(IPacketProtection protection, bool resetSequence)
        {
            _receiveProtection = protection;
            if (resetSequence) ReceiveSequence = 0;
        }

        public void ResetCounters()
        {
            BytesSent = BytesReceived = PacketsSent = PacketsReceived = 0;
        }

        // ---- identification lines -------------------------------------------------------

        public Task WriteLineAsync(string line, CancellationToken cancellationToken)
        {
            var bytes = Encoding.ASCII.GetBytes(line + "\r\n");
            return WriteRawAsync(bytes, cancellationToken);
        }

        /// <summary>Reads one line ending in LF (CR before it optional), at most <see cref="MaxLineLength"/> bytes.</summary>
        public async Task<string> ReadLineAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_readStart == _readEnd) await FillAsync(timeout, "waiting for the SSH identification line", cancellationToken).ConfigureAwait(false);
                byte b = _readBuffer[_readStart++];
                if (b == (byte)'\n') break;
                if (line.Length >= MaxLineLength)
                    throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent a line longer than {MaxLineLength} bytes before the SSH identification.");
                line.WriteByte(b);
            }
            var bytes = line.ToArray();
            int length = bytes.Length;
            if (length > 0 && bytes[length - 1] == (byte)'\r') length--;
            return Encoding.UTF8.GetString(bytes, 0, length);
        }

        // ---- packets -------------------------------------------------------------------

        /// <summary>Frames, pads, protects and writes one payload. The caller serialises writers.</summary>
        public async Task WritePacketAsync(byte[] payload, CancellationToken cancellationToken)
        {
            var protection = _sendProtection;
            int blockSize = Math.Max(8, protection.BlockSize);
            int headerCounted = protection.LengthInClear ? 1 : 5;
            int padding = blockSize - ((headerCounted + payload.Length) % blockSize);
            if (padding < 4) padding += blockSize;
            int packetLength = 1 + payload.Length + padding;
            var packet = new byte[4 + packetLength];
            packet[0] = (byte)(packetLength >> 24);
            packet[1] = (byte)(packetLength >> 16);
            packet[2] = (byte)(packetLength >> 8);
            packet[3] = (byte)packetLength;
            packet[4] = (byte)padding;
            Buffer.BlockCopy(payload, 0, packet, 5, payload.Length);
            var pad = new byte[padding];
            _random.GetBytes(pad);
            Buffer.BlockCopy(pad, 0, packet, 5 + payload.Length, padding);

            var sealedPacket = protection.Seal(SendSequence, packet);
            SendSequence = unchecked(SendSequence + 1);
            PacketsSent++;
            BytesSent += sealedPacket.Length;
            await WriteRawAsync(sealedPacket, cancellationToken).ConfigureAwait(false);
        }

        private async Task WriteRawAsync(byte[] bytes, CancellationToken cancellationToken)
        {
            await SshTimeouts.WithTimeout(_stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken), ReadTimeout, "sending to the peer", cancellationToken).ConfigureAwait(false);
            await SshTimeouts.WithTimeout(_stream.FlushAsync(cancellationToken), ReadTimeout, "sending to the peer", cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Reads one packet and returns its payload. Waits up to <paramref name="firstByteTimeout"/>
        /// (may be infinite for an idle connection) for the packet to start, then at most
        /// <see cref="ReadTimeout"/> for the rest of it.
        /// </summary>
        public async Task<byte[]> ReadPacketAsync(TimeSpan firstByteTimeout, CancellationToken cancellationToken)
        {
            var protection = _receiveProtection;
            int firstBlockSize = protection.FirstBlockSize;
            if (_readStart == _readEnd) await FillAsync(firstByteTimeout, "waiting for the next SSH packet", cancellationToken).ConfigureAwait(false);
            var firstBlock = await ReadExactAsync(firstBlockSize, cancellationToken).ConfigureAwait(false);

            int packetLength;
            try
            {
                packetLength = protection.ReadLength(ReceiveSequence, firstBlock);
            }
            catch (CryptographicException ex)
            {
                throw new SshProtocolException(SshDisconnectReason.MacError, "The peer's packet failed authentication (corrupted or tampered data).", ex);
            }
            if (packetLength < 5 || packetLength > MaxPacketLength)
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent a packet length of {(uint)packetLength} bytes; the allowed range is 5 to {MaxPacketLength}.");
            int total = 4 + packetLength + protection.MacLength;
            if (total < firstBlockSize)
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent a packet of {packetLength} bytes, shorter than one cipher block.");
            int blockSize = Math.Max(8, protection.BlockSize);
            int padded = protection.LengthInClear ? packetLength : 4 + packetLength;
            if (padded % blockSize != 0)
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent a packet length of {packetLength} bytes that is not a multiple of the {blockSize}-byte block size.");

            var received = new byte[total];
            Buffer.BlockCopy(firstBlock, 0, received, 0, firstBlockSize);
            await ReadIntoAsync(received, firstBlockSize, total - firstBlockSize, cancellationToken).ConfigureAwait(false);

            byte[] plain;
            try
            {
                plain = protection.Open(ReceiveSequence, received);
            }
            catch (CryptographicException ex)
            {
                throw new SshProtocolException(SshDisconnectReason.MacError, "The peer's packet failed authentication (corrupted or tampered data).", ex);
            }
            ReceiveSequence = unchecked(ReceiveSequence + 1);
            PacketsReceived++;
            BytesReceived += total;

            if (plain.Length < 4 + packetLength)
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, "The decrypted packet is shorter than its stated length.");
            int paddingLength = plain[4];
            int payloadLength = packetLength - 1 - paddingLength;
            if (paddingLength < 4 || payloadLength < 1)
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent invalid padding ({paddingLength} bytes in a {packetLength}-byte packet).");
            var payload = new byte[payloadLength];
            Buffer.BlockCopy(plain, 5, payload, 0, payloadLength);
            return payload;
        }

        private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
        {
            var result = new byte[count];
            await ReadIntoAsync(result, 0, count, cancellationToken).ConfigureAwait(false);
            return result;
        }

        private async Task ReadIntoAsync(byte[] target, int offset, int count, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                if (_readStart == _readEnd) await FillAsync(ReadTimeout, "receiving an SSH packet", cancellationToken).ConfigureAwait(false);
                int n = Math.Min(count, _readEnd - _readStart);
                Buffer.BlockCopy(_readBuffer, _readStart, target, offset, n);
                _readStart += n;
                offset += n;
                count -= n;
            }
        }

        private async Task FillAsync(TimeSpan timeout, string what, CancellationToken cancellationToken)
        {
            _readStart = 0;
            _readEnd = 0;
            int n = await SshTimeouts.WithTimeout(_stream.ReadAsync(_readBuffer, 0, _readBuffer.Length, cancellationToken), timeout, what, cancellationToken).ConfigureAwait(false);
            if (n <= 0) throw new EndOfStreamException("The peer closed the connection.");
            _readEnd = n;
        }
    }
}
