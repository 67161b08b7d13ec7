using System;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>
    /// The original ChaCha20 (Bernstein, 20 rounds) with a 64-bit block counter and a 64-bit nonce,
    /// as chacha20-poly1305@openssh.com uses it (not the RFC 8439 32/96-bit split). Keystream is made
    /// 4 KiB at a time and XORed as words.
    /// </summary>
    internal sealed class ChaCha20Stream
    {
        private const int ChunkBlocks = 64;
        private readonly uint[] _state = new uint[16];
        private readonly uint[] _keystream = new uint[ChunkBlocks * 16];
        private readonly byte[] _keystreamBytes = BitConverter.IsLittleEndian ? Array.Empty<byte>() : new byte[ChunkBlocks * 64];
        private readonly WordXor _xor = new WordXor(ChunkBlocks * 64);
        private bool _midBlock;

        public ChaCha20Stream(byte[] key)
        {
            if (key == null || key.Length != 32) throw new ArgumentException("ChaCha20 needs a 32-byte key.");
            _state[0] = 0x61707865; _state[1] = 0x3320646e; _state[2] = 0x79622d32; _state[3] = 0x6b206574; // "expand 32-byte k"
            for (int i = 0; i < 8; i++) _state[4 + i] = ReadLittleEndian(key, 4 * i);
        }

        /// <summary>Positions the stream at <paramref name="blockCounter"/> for the 8-byte <paramref name="nonce"/>.</summary>
        public void Start(byte[] nonce, ulong blockCounter)
        {
            if (nonce == null || nonce.Length != 8) throw new ArgumentException("The original ChaCha20 takes an 8-byte nonce.");
            _state[12] = (uint)blockCounter;
            _state[13] = (uint)(blockCounter >> 32);
            _state[14] = ReadLittleEndian(nonce, 0);
            _state[15] = ReadLittleEndian(nonce, 4);
            _midBlock = false;
        }

        /// <summary>
        /// XORs keystream into <paramref name="count"/> bytes. Only the last call after a
        /// <see cref="Start"/> may end inside a block (SSH never needs to continue from there).
        /// </summary>
        public void Process(byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            if (_midBlock) throw new InvalidOperationException("ChaCha20 stream ended inside a block; call Start before continuing.");
            while (count > 0)
            {
                int chunk = Math.Min(count, _keystream.Length * 4);
                int blocks = (chunk + 63) / 64;
                for (int b = 0; b < blocks; b++) Block(_keystream, 16 * b);
                if (BitConverter.IsLittleEndian)
                {
                    _xor.Apply(input, inputOffset, _keystream, output, outputOffset, chunk);
                }
                else
                {
                    for (int i = 0; i < blocks * 16; i++) WriteLittleEndian(_keystream[i], _keystreamBytes, 4 * i);
                    _xor.Apply(input, inputOffset, _keystreamBytes, 0, output, outputOffset, chunk);
                }
                if (chunk % 64 != 0) _midBlock = true;
                inputOffset += chunk;
                outputOffset += chunk;
                count -= chunk;
            }
        }

        public void Clear()
        {
            Array.Clear(_state, 0, _state.Length);
            Array.Clear(_keystream, 0, _keystream.Length);
            _xor.Clear();
        }

        private void Block(uint[] output, int offset)
        {
            uint x0 = _state[0], x1 = _state[1], x2 = _state[2], x3 = _state[3];
            uint x4 = _state[4], x5 = _state[5], x6 = _state[6], x7 = _state[7];
            uint x8 = _state[8], x9 = _state[9], x10 = _state[10], x11 = _state[11];
            uint x12 = _state[12], x13 = _state[13], x14 = _state[14], x15 = _state[15];
            for (int round = 0; round < 10; round++)
            {
                // Column round.
                x0 += x4; x12 = Rotl(x12 ^ x0, 16); x8 += x12; x4 = Rotl(x4 ^ x8, 12); x0 += x4; x12 = Rotl(x12 ^ x0, 8); x8 += x12; x4 = Rotl(x4 ^ x8, 7);
                x1 += x5; x13 = Rotl(x13 ^ x1, 16); x9 += x13; x5 = Rotl(x5 ^ x9, 12); x1 += x5; x13 = Rotl(x13 ^ x1, 8); x9 += x13; x5 = Rotl(x5 ^ x9, 7);
                x2 += x6; x14 = Rotl(x14 ^ x2, 16); x10 += x14; x6 = Rotl(x6 ^ x10, 12); x2 += x6; x14 = Rotl(x14 ^ x2, 8); x10 += x14; x6 = Rotl(x6 ^ x10, 7);
                x3 += x7; x15 = Rotl(x15 ^ x3, 16); x11 += x15; x7 = Rotl(x7 ^ x11, 12); x3 += x7; x15 = Rotl(x15 ^ x3, 8); x11 += x15; x7 = Rotl(x7 ^ x11, 7);
                // Diagonal round.
                x0 += x5; x15 = Rotl(x15 ^ x0, 16); x10 += x15; x5 = Rotl(x5 ^ x10, 12); x0 += x5; x15 = Rotl(x15 ^ x0, 8); x10 += x15; x5 = Rotl(x5 ^ x10, 7);
                x1 += x6; x12 = Rotl(x12 ^ x1, 16); x11 += x12; x6 = Rotl(x6 ^ x11, 12); x1 += x6; x12 = Rotl(x12 ^ x1, 8); x11 += x12; x6 = Rotl(x6 ^ x11, 7);
                x2 += x7; x13 = Rotl(x13 ^ x2, 16); x8 += x13; x7 = Rotl(x7 ^ x8, 12); x2 += x7; x13 = Rotl(x13 ^ x2, 8); x8 += x13; x7 = Rotl(x7 ^ x8, 7);
                x3 += x4; x14 = Rotl(x14 ^ x3, 16); x9 += x14; x4 = Rotl(x4 ^ x9, 12); x3 += x4; x14 = Rotl(x14 ^ x3, 8); x9 += x14; x4 = Rotl(x4 ^ x9, 7);
            }
            output[offset] = x0 + _state[0]; output[offset + 1] = x1 + _state[1]; output[offset + 2] = x2 + _state[2]; output[offset + 3] = x3 + _state[3];
            output[offset + 4] = x4 + _state[4]; output[offset + 5] = x5 + _state[5]; output[offset + 6] = x6 + _state[6]; output[offset + 7] = x7 + _state[7];
            output[offset + 8] = x8 + _state[8]; output[offset + 9] = x9 + _state[9]; output[offset + 10] = x10 + _state[10]; output[offset + 11] = x11 + _state[11];
            output[offset + 12] = x12 + _state[12]; output[offset + 13] = x13 + _state[13]; output[offset + 14] = x14 + _state[14]; output[offset + 15] = x15 + _state[15];
            // 64-bit block counter in words 12 and 13.
            if (++_state[12] == 0) _state[13]++;
        }

        private static uint Rotl(uint v, int c) => (v << c) | (v >> (32 - c));

        private static uint ReadLittleEndian(byte[] b, int i) => (uint)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | b[i + 3] << 24);

        private static void WriteLittleEndian(uint v, byte[] b, int i)
        {
            b[i] = (byte)v; b[i + 1] = (byte)(v >> 8); b[i + 2] = (byte)(v >> 16); b[i + 3] = (byte)(v >> 24);
        }
    }
}
