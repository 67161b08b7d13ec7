using System;
using System.Security.Cryptography;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>Direction checks and small framing helpers shared by every packet protection.</summary>
    internal abstract class PacketProtectionBase : IPacketProtection, IDisposable
    {
        private readonly bool _sending;

        protected PacketProtectionBase(bool sending)
        {
            _sending = sending;
        }

        public abstract int BlockSize { get; }
        public abstract bool LengthInClear { get; }
        public abstract int FirstBlockSize { get; }
        public abstract int MacLength { get; }

        public byte[] Seal(uint sequence, byte[] packet)
        {
            if (!_sending) throw new InvalidOperationException("This packet protection was created for receiving; it cannot seal.");
            if (packet == null) throw new ArgumentNullException(nameof(packet));
            int covered = packet.Length - (LengthInClear ? 4 : 0);
            if (packet.Length < 5 || covered % BlockSize != 0)
                throw new ArgumentException($"The packet ({packet.Length} bytes) is not padded to a multiple of {BlockSize} bytes{(LengthInClear ? " excluding the length field" : "")}.", nameof(packet));
            return SealCore(sequence, packet);
        }

        public int ReadLength(uint sequence, byte[] firstBlock)
        {
            if (_sending) throw new InvalidOperationException("This packet protection was created for sending; it cannot read packets.");
            if (firstBlock == null || firstBlock.Length < FirstBlockSize)
                throw new ArgumentException($"ReadLength needs the first {FirstBlockSize} received bytes.", nameof(firstBlock));
            return ReadLengthCore(sequence, firstBlock);
        }

        public byte[] Open(uint sequence, byte[] received)
        {
            if (_sending) throw new InvalidOperationException("This packet protection was created for sending; it cannot open packets.");
            if (received == null) throw new ArgumentNullException(nameof(received));
            int body = received.Length - MacLength;
            if (body < FirstBlockSize || body < 5 || (body - (LengthInClear ? 4 : 0)) % BlockSize != 0)
                throw new CryptographicException($"Received packet of {received.Length} bytes is not a whole number of {BlockSize}-byte blocks plus a {MacLength}-byte MAC.");
            var plain = OpenCore(sequence, received);
            if (ReadUInt32(plain, 0) != (uint)(plain.Length - 4))
                throw new CryptographicException("The decrypted packet length does not match the bytes received.");
            return plain;
        }

        protected abstract byte[] SealCore(uint sequence, byte[] packet);
        protected abstract int ReadLengthCore(uint sequence, byte[] firstBlock);
        protected abstract byte[] OpenCore(uint sequence, byte[] received);

        protected static uint ReadUInt32(byte[] data, int offset) =>
            (uint)(data[offset] << 24 | data[offset + 1] << 16 | data[offset + 2] << 8 | data[offset + 3]);

        /// <summary>Values past int.MaxValue are clamped; the caller bounds the length before trusting it.</summary>
        protected static int ClampLength(uint value) => value > int.MaxValue ? int.MaxValue : (int)value;

        protected static byte[] SequenceBytes(uint sequence) =>
            new[] { (byte)(sequence >> 24), (byte)(sequence >> 16), (byte)(sequence >> 8), (byte)sequence };

        public virtual void Dispose() { }
    }
}
