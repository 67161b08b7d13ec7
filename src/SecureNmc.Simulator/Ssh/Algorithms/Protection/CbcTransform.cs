using System;
using System.Security.Cryptography;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>
    /// AES-CBC or 3DES-CBC (legacy) for one direction. The framework's transform keeps the
    /// chaining value between calls, which is exactly SSH's "the last ciphertext block of one
    /// packet is the IV of the next".
    /// </summary>
    internal sealed class CbcTransform : IBlockTransform
    {
        private readonly SymmetricAlgorithm _algorithm;
        private readonly ICryptoTransform _transform;
        private byte[] _scratch = new byte[4096];

        public CbcTransform(SymmetricAlgorithm algorithm, byte[] key, byte[] iv, bool encrypt)
        {
            _algorithm = algorithm;
            _algorithm.Mode = System.Security.Cryptography.CipherMode.CBC;
            _algorithm.Padding = PaddingMode.None;
            _algorithm.Key = key;
            _algorithm.IV = iv;
            _transform = encrypt ? _algorithm.CreateEncryptor() : _algorithm.CreateDecryptor();
            BlockSize = _algorithm.BlockSize / 8;
        }

        public static CbcTransform Aes(byte[] key, byte[] iv, bool encrypt) => new CbcTransform(System.Security.Cryptography.Aes.Create(), key, iv, encrypt);

        public static CbcTransform TripleDes(byte[] key, byte[] iv, bool encrypt) => new CbcTransform(TripleDES.Create(), key, iv, encrypt);

        public int BlockSize { get; }

        public void Transform(byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            if (count % BlockSize != 0) throw new ArgumentException($"CBC input must be whole {BlockSize}-byte blocks.");
            if (count == 0) return;
            if (_scratch.Length < count) _scratch = new byte[Math.Max(count, _scratch.Length * 2)];
            int written = _transform.TransformBlock(input, inputOffset, count, _scratch, 0);
            if (written != count) throw new CryptographicException("The CBC transform held back data unexpectedly.");
            Buffer.BlockCopy(_scratch, 0, output, outputOffset, count);
        }

        public void Dispose()
        {
            _transform.Dispose();
            _algorithm.Dispose();
            CryptoBytes.Wipe(_scratch);
        }
    }
}
