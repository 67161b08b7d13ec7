using System.Security.Cryptography;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>A named HMAC (RFC 4253 §6.4, RFC 6668) in its encrypt-and-MAC or -etm@openssh.com form.</summary>
    internal sealed class MacAlgorithm : IMacAlgorithm
    {
        public MacAlgorithm(string name, HashAlgorithmName hash, int length, bool encryptThenMac, bool isLegacy)
        {
            Name = name;
            Hash = hash;
            KeyLength = length;
            Length = length;
            EncryptThenMac = encryptThenMac;
            IsLegacy = isLegacy;
        }

        public string Name { get; }
        public HashAlgorithmName Hash { get; }
        /// <summary>Key length equals the hash output length for every SSH HMAC.</summary>
        public int KeyLength { get; }
        public int Length { get; }
        public bool EncryptThenMac { get; }
        public bool IsLegacy { get; }
        public override string ToString() => Name;
    }
}
