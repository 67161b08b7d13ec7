using System;
using System.Security.Cryptography;

namespace SecureNmc.Core.Ssh.Algorithms.Protection
{
    /// <summary>
    /// AES in counter mode (RFC 4344 §4, NIST SP 800-38A §6.5) built on the framework's AES-ECB:
    /// counter blocks for a whole chunk are encrypted in one call and XORed in, so bulk data costs
    /// one native AES call per 4 KiB rather than per block.
    /// </summary>
    internal sealed class AesCtrTransform : IBlockTransform
    {
        private const int ChunkBlocks = 256;
        private readonly Aes _aes;
        private readonly ICryptoTransform _ecb;
        private readonly byte[] _counter;
        private readonly byte[] _counterBlocks = new byte[ChunkBlocks * 16];
        private readonly byte[] _keystream = new byte[ChunkBlocks * 16];

        public AesCtrTransform(byte[] key, byte[] initialCounter)
        {
            if (initialCounter.Length != 16) throw new ArgumentException("The AES-CTR initial counter is 16 bytes.");
            _aes = Aes.Create();
            _aes.Mode = System.Security.Cryptography.CipherMode.ECB;
            _aes.Padding = PaddingMode.None;
            _aes.Key = key;
            _ecb = _aes.CreateEncryptor();
            _counter = (byte[])initialCounter.Clone();
        }

        public int BlockSize => 16;

        public void Transform(byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            if (count % 16 != 0) throw new ArgumentException("AES-CTR input must be whole 16-byte blocks here.");
            while (count > 0)
            {
                int chunk = Math.Min(count, _counterBlocks.Length);
                for (int block = 0; block < chunk; block += 16)
                {
                    Buffer.BlockCopy(_counter, 0, _counterBlocks, block, 16);
                    Increment();
                }
                _ecb.TransformBlock(_counterBlocks, 0, chunk, _keystream, 0);
                for (int i = 0; i < chunk; i++) output[outputOffset + i] = (byte)(input[inputOffset + i] ^ _keystream[i]);
                inputOffset += chunk;
                outputOffset += chunk;
                count -= chunk;
            }
        }

        /// <summary>The counter is one 128-bit big-endian integer, wrapping modulo 2^128.</summary>
        private void Increment()
        {
            for (int i = 15; i >= 0; i--)
                if (++_counter[i] != 0) break;
        }

        public void Dispose()
        {
            _ecb.Dispose();
            _aes.Dispose();
            CryptoBytes.Wipe(_keystream);
        }
    }
}
