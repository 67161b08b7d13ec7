namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>How a cipher frames packets.</summary>
    internal enum CipherMode
    {
        AesCtr,
        AesCbc,
        TripleDesCbc,
        AesGcm,
        ChaCha20Poly1305,
    }

    /// <summary>A named cipher's parameters; <see cref="SshAlgorithmCatalog.CreateProtection"/> builds the packet protection.</summary>
    internal sealed class CipherAlgorithm : ICipherAlgorithm
    {
        public CipherAlgorithm(string name, CipherMode mode, int keyLength, int ivLength, int blockSize, bool isLegacy)
        {
            Name = name;
            Mode = mode;
            KeyLength = keyLength;
            IvLength = ivLength;
            BlockSize = blockSize;
            IsLegacy = isLegacy;
        }

        public string Name { get; }
        public CipherMode Mode { get; }
        public int KeyLength { get; }
        public int IvLength { get; }
        /// <summary>The cipher's block size (padding granularity): 16 for AES, 8 for 3DES and ChaCha20-Poly1305.</summary>
        public int BlockSize { get; }
        public bool IsAead => Mode == CipherMode.AesGcm || Mode == CipherMode.ChaCha20Poly1305;
        public bool IsLegacy { get; }
        public override string ToString() => Name;
    }
}
