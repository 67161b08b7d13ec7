using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>
    /// chacha20-poly1305@openssh.com (OpenSSH PROTOCOL.chacha20poly1305). The 64-byte key splits into
    /// K_2 (first 32 bytes, payload) and K_1 (last 32, length). Both use the original ChaCha20 with a
    /// 64-bit nonce = the packet sequence number. K_1 at counter 0 encrypts the 4-byte length; K_2's
    /// block 0 gives the Poly1305 key, blocks from 1 encrypt the rest; the tag covers the encrypted
    /// length and payload. Padding excludes the length field, hence <see cref="LengthInClear"/> is true
    /// although the length is encrypted.
    /// </summary>
    internal sealed class ChaCha20Poly1305PacketProtection : PacketProtectionBase
    {
        private const int TagLength = 16;
        private readonly ChaCha20Stream _payloadCipher;
        private readonly ChaCha20Stream _lengthCipher;
        private readonly Poly1305 _poly = new Poly1305();
        private readonly byte[] _block0 = new byte[64];
        private readonly byte[] _polyKey = new byte[32];
        private readonly byte[] _nonce = new byte[8];

        public ChaCha20Poly1305PacketProtection(byte[] key, bool sending) : base(sending)
        {
            if (key.Length != 64) throw new ArgumentException("chacha20-poly1305@openssh.com needs a 64-byte key.");
            var k2 = new byte[32];
            var k1 = new byte[32];
            Buffer.BlockCopy(key, 0, k2, 0, 32);
            Buffer.BlockCopy(key, 32, k1, 0, 32);
            _payloadCipher = new ChaCha20Stream(k2);
            _lengthCipher = new ChaCha20Stream(k1);
            CryptoBytes.Wipe(k1);
            CryptoBytes.Wipe(k2);
        }

        public override int BlockSize => 8;
        public override bool LengthInClear => true;
        public override int FirstBlockSize => 4;
        public override int MacLength => TagLength;

        protected override byte[] SealCore(uint sequence, byte[] packet)
        {
            var output = new byte[packet.Length + TagLength];
            SetNonce(sequence);
            _lengthCipher.Start(_nonce, 0);
            _lengthCipher.Process(packet, 0, 4, output, 0);
            StartPayload();
            _payloadCipher.Process(packet, 4, packet.Length - 4, output, 4);
            _poly.BlockUpdate(output, 0, packet.Length);
            _poly.DoFinal(output, packet.Length);
            return output;
        }

        protected override int ReadLengthCore(uint sequence, byte[] firstBlock)
        {
            var length = new byte[4];
            SetNonce(sequence);
            _lengthCipher.Start(_nonce, 0);
            _lengthCipher.Process(firstBlock, 0, 4, length, 0);
            return ClampLength(ReadUInt32(length, 0));
        }

        protected override byte[] OpenCore(uint sequence, byte[] received)
        {
            int body = received.Length - TagLength;
            SetNonce(sequence);
            StartPayload();
            _poly.BlockUpdate(received, 0, body);
            var tag = new byte[TagLength];
            _poly.DoFinal(tag, 0);
            if (!CryptoBytes.FixedTimeEquals(tag, 0, received, body, TagLength))
                throw new CryptographicException($"Packet {sequence} failed its Poly1305 check (corrupted or forged).");
            var plain = new byte[body];
            _lengthCipher.Start(_nonce, 0);
            _lengthCipher.Process(received, 0, 4, plain, 0);
            _payloadCipher.Process(received, 4, body - 4, plain, 4);
            return plain;
        }

        private void SetNonce(uint sequence)
        {
            // The 64-bit sequence number, big-endian; SSH's is 32 bits so the high half is zero.
            _nonce[4] = (byte)(sequence >> 24); _nonce[5] = (byte)(sequence >> 16); _nonce[6] = (byte)(sequence >> 8); _nonce[7] = (byte)sequence;
        }

        /// <summary>Keys Poly1305 from K_2's block 0 and leaves the payload cipher at block 1.</summary>
        private void StartPayload()
        {
            _payloadCipher.Start(_nonce, 0);
            Array.Clear(_block0, 0, 64);
            _payloadCipher.Process(_block0, 0, 64, _block0, 0);
            Buffer.BlockCopy(_block0, 0, _polyKey, 0, 32);
            _poly.Init(new KeyParameter(_polyKey));
            CryptoBytes.Wipe(_polyKey);
            CryptoBytes.Wipe(_block0);
        }

        public override void Dispose()
        {
            _payloadCipher.Clear();
            _lengthCipher.Clear();
        }
    }
}
