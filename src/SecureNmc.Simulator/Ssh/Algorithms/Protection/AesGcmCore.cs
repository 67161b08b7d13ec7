using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Modes.Gcm;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>
    /// AES-GCM (NIST SP 800-38D) for 12-byte nonces and 16-byte tags. The counter-mode part runs on
    /// the framework's AES (hardware-accelerated, whole chunks per call); GHASH uses BouncyCastle's
    /// table multiplier. netstandard2.0 has no AesGcm class, and BouncyCastle's all-managed GCM is
    /// several times slower.
    /// </summary>
    internal sealed class AesGcmCore : IDisposable
    {
        public const int NonceLength = 12;
        public const int TagLength = 16;
        private const int ChunkBytes = 4096;
        private readonly Aes _aes;
        private readonly ICryptoTransform _ecb;
        private readonly IGcmMultiplier _multiplier = new Tables4kGcmMultiplier();
        private readonly byte[] _counterBlocks = new byte[ChunkBytes];
        private readonly byte[] _keystream = new byte[ChunkBytes];
        private readonly WordXor _xor = new WordXor(ChunkBytes);
        private readonly byte[] _hashState = new byte[16];
        private readonly byte[] _block = new byte[16];

        public AesGcmCore(byte[] key)
        {
            _aes = Aes.Create();
            _aes.Mode = System.Security.Cryptography.CipherMode.ECB;
            _aes.Padding = PaddingMode.None;
            _aes.Key = key;
            _ecb = _aes.CreateEncryptor();
            var h = new byte[16];
            _ecb.TransformBlock(new byte[16], 0, 16, h, 0);
            _multiplier.Init(h);
            CryptoBytes.Wipe(h);
        }

        /// <summary>Encrypts <paramref name="count"/> bytes and writes the 16-byte tag at <paramref name="tagOffset"/>.</summary>
        public void Encrypt(byte[] nonce, byte[] aad, byte[] input, int inputOffset, int count, byte[] output, int outputOffset, byte[] tag, int tagOffset)
        {
            CheckNonce(nonce);
            CounterMode(nonce, input, inputOffset, count, output, outputOffset);
            ComputeTag(nonce, aad, output, outputOffset, count, tag, tagOffset);
        }

        /// <summary>Checks the tag first; only if it matches decrypts. False (nothing written) on a mismatch.</summary>
        public bool Decrypt(byte[] nonce, byte[] aad, byte[] input, int inputOffset, int count, byte[] tag, int tagOffset, byte[] output, int outputOffset)
        {
            CheckNonce(nonce);
            var expected = new byte[TagLength];
            ComputeTag(nonce, aad, input, inputOffset, count, expected, 0);
            if (!CryptoBytes.FixedTimeEquals(expected, 0, tag, tagOffset, TagLength)) return false;
            CounterMode(nonce, input, inputOffset, count, output, outputOffset);
            return true;
        }

        private static void CheckNonce(byte[] nonce)
        {
            if (nonce == null || nonce.Length != NonceLength) throw new ArgumentException("AES-GCM here takes a 12-byte nonce.");
        }

        /// <summary>Counter blocks are nonce || 32-bit big-endian counter starting at 2 (1 is reserved for the tag), incremented mod 2^32.</summary>
        private void CounterMode(byte[] nonce, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            uint counter = 2;
            while (count > 0)
            {
                int chunk = Math.Min(count, ChunkBytes);
                int blocks = (chunk + 15) / 16;
                for (int b = 0; b < blocks; b++, counter++)
                {
                    int at = 16 * b;
                    Buffer.BlockCopy(nonce, 0, _counterBlocks, at, NonceLength);
                    _counterBlocks[at + 12] = (byte)(counter >> 24);
                    _counterBlocks[at + 13] = (byte)(counter >> 16);
                    _counterBlocks[at + 14] = (byte)(counter >> 8);
                    _counterBlocks[at + 15] = (byte)counter;
                }
                _ecb.TransformBlock(_counterBlocks, 0, blocks * 16, _keystream, 0);
                _xor.Apply(input, inputOffset, _keystream, 0, output, outputOffset, chunk);
                inputOffset += chunk;
                outputOffset += chunk;
                count -= chunk;
            }
        }

        /// <summary>T = E_K(nonce || 1) XOR GHASH_H(A || pad || C || pad || [len A]64 || [len C]64).</summary>
        private void ComputeTag(byte[] nonce, byte[] aad, byte[] ciphertext, int offset, int count, byte[] tag, int tagOffset)
        {
            Array.Clear(_hashState, 0, 16);
            Absorb(aad, 0, aad.Length);
            Absorb(ciphertext, offset, count);
            Array.Clear(_block, 0, 16);
            WriteBitLength(aad.Length, _block, 0);
            WriteBitLength(count, _block, 8);
            Absorb(_block, 0, 16);

            Buffer.BlockCopy(nonce, 0, _block, 0, NonceLength);
            _block[12] = 0; _block[13] = 0; _block[14] = 0; _block[15] = 1;
            var mask = new byte[16];
            _ecb.TransformBlock(_block, 0, 16, mask, 0);
            for (int i = 0; i < 16; i++) tag[tagOffset + i] = (byte)(mask[i] ^ _hashState[i]);
        }

        private void Absorb(byte[] data, int offset, int count)
        {
            while (count > 0)
            {
                int n = Math.Min(16, count);
                for (int i = 0; i < n; i++) _hashState[i] ^= data[offset + i];
                _multiplier.MultiplyH(_hashState);
                offset += n;
                count -= n;
            }
        }

        private static void WriteBitLength(int bytes, byte[] target, int at)
        {
            ulong bits = (ulong)bytes * 8;
            for (int i = 7; i >= 0; i--) { target[at + i] = (byte)bits; bits >>= 8; }
        }

        public void Dispose()
        {
            _ecb.Dispose();
            _aes.Dispose();
            CryptoBytes.Wipe(_keystream);
            _xor.Clear();
        }
    }
}
