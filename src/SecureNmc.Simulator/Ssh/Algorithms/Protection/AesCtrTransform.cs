using System;
using System.Security.Cryptography;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>
    /// AES in counter mode (RFC 4344 §4, NIST SP 800-38A §6.5) built on the framework's AES-ECB:
    /// counter blocks for a whole chunk are encrypted in one call and XORed in, so bulk data costs
    /// one native AES call per 4 KiB rather than per block. The counter is kept as two 64-bit words
    /// and a chunk's counter blocks are written as words and copied in once: building them block by
    /// block with a 16-byte copy and a byte-wise increment cost several times more than the AES itself.
    /// </summary>
    internal sealed class AesCtrTransform : IBlockTransform
    {
        private const int ChunkBlocks = 256;
        private readonly Aes _aes;
        private readonly ICryptoTransform _ecb;
        private ulong _counterHigh;
        private ulong _counterLow;
        private readonly ulong[] _counterWords = new ulong[ChunkBlocks * 2];
        private readonly byte[] _counterBlocks = new byte[ChunkBlocks * 16];
        private readonly byte[] _keystream = new byte[ChunkBlocks * 16];
        private readonly WordXor _xor = new WordXor(ChunkBlocks * 16);

        public AesCtrTransform(byte[] key, byte[] initialCounter)
        {
            if (initialCounter.Length != 16) throw new ArgumentException("The AES-CTR initial counter is 16 bytes.");
            _aes = Aes.Create();
            _aes.Mode = System.Security.Cryptography.CipherMode.ECB;
            _aes.Padding = PaddingMode.None;
            _aes.Key = key;
            _ecb = _aes.CreateEncryptor();
            _counterHigh = ReadBigEndian(initialCounter, 0);
            _counterLow = ReadBigEndian(initialCounter, 8);
        }

        public int BlockSize => 16;

        public void Transform(byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            if (count % 16 != 0) throw new ArgumentException("AES-CTR input must be whole 16-byte blocks here.");
            while (count > 0)
            {
                int chunk = Math.Min(count, _counterBlocks.Length);
                FillCounterBlocks(chunk / 16);
                _ecb.TransformBlock(_counterBlocks, 0, chunk, _keystream, 0);
                _xor.Apply(input, inputOffset, _keystream, 0, output, outputOffset, chunk);
                inputOffset += chunk;
                outputOffset += chunk;
                count -= chunk;
            }
        }

        /// <summary>
        /// Writes the next <paramref name="blocks"/> counter values (big-endian, as AES consumes them) into
        /// <c>_counterBlocks</c> and advances the counter. It is one 128-bit integer wrapping modulo 2^128.
        /// </summary>
        private void FillCounterBlocks(int blocks)
        {
            ulong high = ToBigEndianWord(_counterHigh);
            for (int block = 0, word = 0; block < blocks; block++, word += 2)
            {
                _counterWords[word] = high;
                _counterWords[word + 1] = ToBigEndianWord(_counterLow);
                if (++_counterLow == 0) high = ToBigEndianWord(++_counterHigh);
            }
            Buffer.BlockCopy(_counterWords, 0, _counterBlocks, 0, blocks * 16);
        }

        /// <summary>The word whose in-memory bytes are <paramref name="value"/> in big-endian order.</summary>
        private static ulong ToBigEndianWord(ulong value)
        {
            if (!BitConverter.IsLittleEndian) return value;
            value = (value >> 32) | (value << 32);
            value = ((value & 0xFFFF0000FFFF0000UL) >> 16) | ((value & 0x0000FFFF0000FFFFUL) << 16);
            return ((value & 0xFF00FF00FF00FF00UL) >> 8) | ((value & 0x00FF00FF00FF00FFUL) << 8);
        }

        private static ulong ReadBigEndian(byte[] data, int offset)
        {
            ulong value = 0;
            for (int i = 0; i < 8; i++) value = (value << 8) | data[offset + i];
            return value;
        }

        public void Dispose()
        {
            _ecb.Dispose();
            _aes.Dispose();
            CryptoBytes.Wipe(_keystream);
            CryptoBytes.Wipe(_counterBlocks);
            Array.Clear(_counterWords, 0, _counterWords.Length);
            _counterHigh = _counterLow = 0;
            _xor.Clear();
        }
    }
}
