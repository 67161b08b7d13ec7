using System;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>
    /// XORs a keystream into data eight bytes at a time. netstandard2.0 has no Span or vector
    /// types, so bytes are block-copied into ulong scratch arrays (a memcpy) and combined as words,
    /// which is several times faster than a byte loop for 32 KiB packets.
    /// </summary>
    internal sealed class WordXor
    {
        private readonly ulong[] _data;
        private readonly ulong[] _key;

        public WordXor(int chunkBytes)
        {
            if (chunkBytes % 8 != 0) throw new ArgumentException("The chunk must be a whole number of 8-byte words.");
            _data = new ulong[chunkBytes / 8];
            _key = new ulong[chunkBytes / 8];
            ChunkBytes = chunkBytes;
        }

        public int ChunkBytes { get; }

        /// <summary>output = input XOR keystream for <paramref name="count"/> (at most <see cref="ChunkBytes"/>) bytes.</summary>
        public void Apply(byte[] input, int inputOffset, byte[] keystream, int keystreamOffset, byte[] output, int outputOffset, int count)
        {
            Buffer.BlockCopy(input, inputOffset, _data, 0, count);
            Buffer.BlockCopy(keystream, keystreamOffset, _key, 0, count);
            int words = (count + 7) / 8;
            for (int i = 0; i < words; i++) _data[i] ^= _key[i];
            Buffer.BlockCopy(_data, 0, output, outputOffset, count);
        }

        /// <summary>Same, with the keystream already held as words (native byte order, as ChaCha20 produces it).</summary>
        public void Apply(byte[] input, int inputOffset, uint[] keystreamWords, byte[] output, int outputOffset, int count)
        {
            Buffer.BlockCopy(input, inputOffset, _data, 0, count);
            Buffer.BlockCopy(keystreamWords, 0, _key, 0, (count + 3) / 4 * 4);
            int words = (count + 7) / 8;
            for (int i = 0; i < words; i++) _data[i] ^= _key[i];
            Buffer.BlockCopy(_data, 0, output, outputOffset, count);
        }

        public void Clear()
        {
            Array.Clear(_data, 0, _data.Length);
            Array.Clear(_key, 0, _key.Length);
        }
    }
}
