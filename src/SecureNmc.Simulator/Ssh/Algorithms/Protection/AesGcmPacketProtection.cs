using System;
using System.Security.Cryptography;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>
    /// aes128-gcm@openssh.com / aes256-gcm@openssh.com (RFC 5647 as OpenSSH implements it):
    /// packet_length is sent in clear as the additional authenticated data, the rest is encrypted,
    /// a 16-byte tag follows. The 12-byte nonce is a 4-byte fixed field plus a 64-bit invocation
    /// counter taken from the derived IV and incremented after every packet.
    /// </summary>
    internal sealed class AesGcmPacketProtection : PacketProtectionBase
    {
        private readonly AesGcmCore _gcm;
        private readonly byte[] _nonce;
        private readonly byte[] _lengthField = new byte[4];

        public AesGcmPacketProtection(byte[] key, byte[] iv, bool sending) : base(sending)
        {
            if (iv.Length != AesGcmCore.NonceLength) throw new ArgumentException("AES-GCM needs a 12-byte IV.");
            _gcm = new AesGcmCore(key);
            _nonce = (byte[])iv.Clone();
        }

        public override int BlockSize => 16;
        public override bool LengthInClear => true;
        public override int FirstBlockSize => 4;
        public override int MacLength => AesGcmCore.TagLength;

        protected override byte[] SealCore(uint sequence, byte[] packet)
        {
            var output = new byte[packet.Length + AesGcmCore.TagLength];
            Buffer.BlockCopy(packet, 0, output, 0, 4);
            Buffer.BlockCopy(packet, 0, _lengthField, 0, 4);
            _gcm.Encrypt(_nonce, _lengthField, packet, 4, packet.Length - 4, output, 4, output, packet.Length);
            IncrementInvocationCounter();
            return output;
        }

        protected override int ReadLengthCore(uint sequence, byte[] firstBlock) => ClampLength(ReadUInt32(firstBlock, 0));

        protected override byte[] OpenCore(uint sequence, byte[] received)
        {
            int body = received.Length - AesGcmCore.TagLength;
            var plain = new byte[body];
            Buffer.BlockCopy(received, 0, plain, 0, 4);
            Buffer.BlockCopy(received, 0, _lengthField, 0, 4);
            bool authentic = _gcm.Decrypt(_nonce, _lengthField, received, 4, body - 4, received, body, plain, 4);
            IncrementInvocationCounter();
            if (!authentic) throw new CryptographicException($"Packet {sequence} failed its AES-GCM authentication (corrupted or forged).");
            return plain;
        }

        private void IncrementInvocationCounter()
        {
            for (int i = 11; i >= 4; i--)
                if (++_nonce[i] != 0) break;
        }

        public override void Dispose() => _gcm.Dispose();
    }
}
