using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace SecureNmc.Core.Ssh.Algorithms.Protection
{
    /// <summary>
    /// aes128-gcm@openssh.com / aes256-gcm@openssh.com (RFC 5647 as OpenSSH implements it):
    /// packet_length is sent in clear as the additional authenticated data, the rest is encrypted,
    /// a 16-byte tag follows. The 12-byte nonce is a 4-byte fixed field plus a 64-bit invocation
    /// counter taken from the derived IV and incremented after every packet.
    /// </summary>
    internal sealed class AesGcmPacketProtection : PacketProtectionBase
    {
        private const int TagLength = 16;
        private readonly GcmBlockCipher _gcm = new GcmBlockCipher(new AesEngine());
        private readonly byte[] _nonce;
        private KeyParameter? _key;

        public AesGcmPacketProtection(byte[] key, byte[] iv, bool sending) : base(sending)
        {
            if (iv.Length != 12) throw new ArgumentException("AES-GCM needs a 12-byte IV.");
            _key = new KeyParameter(key);
            _nonce = (byte[])iv.Clone();
        }

        public override int BlockSize => 16;
        public override bool LengthInClear => true;
        public override int FirstBlockSize => 4;
        public override int MacLength => TagLength;

        protected override byte[] SealCore(uint sequence, byte[] packet)
        {
            var output = new byte[packet.Length + TagLength];
            Buffer.BlockCopy(packet, 0, output, 0, 4);
            Start(forEncryption: true, lengthField: packet);
            int written = _gcm.ProcessBytes(packet, 4, packet.Length - 4, output, 4);
            _gcm.DoFinal(output, 4 + written);
            return output;
        }

        protected override int ReadLengthCore(uint sequence, byte[] firstBlock) => ClampLength(ReadUInt32(firstBlock, 0));

        protected override byte[] OpenCore(uint sequence, byte[] received)
        {
            var plain = new byte[received.Length - TagLength];
            Buffer.BlockCopy(received, 0, plain, 0, 4);
            Start(forEncryption: false, lengthField: received);
            try
            {
                int written = _gcm.ProcessBytes(received, 4, received.Length - 4, plain, 4);
                _gcm.DoFinal(plain, 4 + written);
            }
            catch (InvalidCipherTextException)
            {
                throw new CryptographicException($"Packet {sequence} failed its AES-GCM authentication (corrupted or forged).");
            }
            return plain;
        }

        private void Start(bool forEncryption, byte[] lengthField)
        {
            var aad = new byte[4];
            Buffer.BlockCopy(lengthField, 0, aad, 0, 4);
            // The key schedule is set once; later packets pass a null key so only the nonce changes.
            _gcm.Init(forEncryption, new AeadParameters(_key, TagLength * 8, (byte[])_nonce.Clone(), aad));
            _key = null;
            IncrementInvocationCounter();
        }

        private void IncrementInvocationCounter()
        {
            for (int i = 11; i >= 4; i--)
                if (++_nonce[i] != 0) break;
        }
    }
}
