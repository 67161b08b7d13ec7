using System;
using System.Security.Cryptography;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>
    /// A block/stream cipher with a separate HMAC, in either framing:
    /// encrypt-and-MAC (RFC 4253 §6: MAC over seq || plaintext packet, whole packet encrypted) or
    /// encrypt-then-MAC (-etm@openssh.com: length in clear, MAC over seq || length || ciphertext,
    /// checked before anything is decrypted).
    /// </summary>
    internal sealed class BlockCipherPacketProtection : PacketProtectionBase
    {
        private readonly IBlockTransform _cipher;
        private readonly HMAC _hmac;
        private readonly MacAlgorithm _mac;
        private byte[]? _pendingFirstBlock;

        public BlockCipherPacketProtection(IBlockTransform cipher, MacAlgorithm mac, byte[] macKey, bool sending) : base(sending)
        {
            _cipher = cipher;
            _mac = mac;
            _hmac = SshHashes.CreateHmac(mac.Hash, macKey);
        }

        public override int BlockSize => Math.Max(8, _cipher.BlockSize);
        public override bool LengthInClear => _mac.EncryptThenMac;
        public override int FirstBlockSize => _mac.EncryptThenMac ? 4 : _cipher.BlockSize;
        public override int MacLength => _mac.Length;

        protected override byte[] SealCore(uint sequence, byte[] packet)
        {
            var output = new byte[packet.Length + MacLength];
            if (_mac.EncryptThenMac)
            {
                Buffer.BlockCopy(packet, 0, output, 0, 4);
                _cipher.Transform(packet, 4, packet.Length - 4, output, 4);
                ComputeMac(sequence, output, packet.Length, output, packet.Length);
            }
            else
            {
                ComputeMac(sequence, packet, packet.Length, output, packet.Length);
                _cipher.Transform(packet, 0, packet.Length, output, 0);
            }
            return output;
        }

        protected override int ReadLengthCore(uint sequence, byte[] firstBlock)
        {
            if (_mac.EncryptThenMac) return ClampLength(ReadUInt32(firstBlock, 0));
            // Encrypt-and-MAC: the length is inside the first encrypted block; keep it decrypted for Open.
            var first = new byte[FirstBlockSize];
            _cipher.Transform(firstBlock, 0, FirstBlockSize, first, 0);
            _pendingFirstBlock = first;
            return ClampLength(ReadUInt32(first, 0));
        }

        protected override byte[] OpenCore(uint sequence, byte[] received)
        {
            int body = received.Length - MacLength;
            var plain = new byte[body];
            if (_mac.EncryptThenMac)
            {
                CheckMac(sequence, received, body, received);
                Buffer.BlockCopy(received, 0, plain, 0, 4);
                _cipher.Transform(received, 4, body - 4, plain, 4);
                return plain;
            }
            var first = _pendingFirstBlock ?? throw new InvalidOperationException("Open was called without ReadLength for this packet.");
            _pendingFirstBlock = null;
            Buffer.BlockCopy(first, 0, plain, 0, first.Length);
            _cipher.Transform(received, first.Length, body - first.Length, plain, first.Length);
            CheckMac(sequence, plain, body, received);
            return plain;
        }

        private void ComputeMac(uint sequence, byte[] data, int count, byte[] output, int outputOffset)
        {
            var seq = SequenceBytes(sequence);
            _hmac.TransformBlock(seq, 0, 4, null, 0);
            _hmac.TransformFinalBlock(data, 0, count);
            Buffer.BlockCopy(_hmac.Hash, 0, output, outputOffset, MacLength);
        }

        private void CheckMac(uint sequence, byte[] data, int count, byte[] received)
        {
            var expected = new byte[MacLength];
            ComputeMac(sequence, data, count, expected, 0);
            if (!CryptoBytes.FixedTimeEquals(expected, 0, received, received.Length - MacLength, MacLength))
                throw new CryptographicException($"Packet {sequence} failed its {_mac.Name} check (corrupted or forged).");
        }

        public override void Dispose()
        {
            _cipher.Dispose();
            _hmac.Dispose();
        }
    }
}
