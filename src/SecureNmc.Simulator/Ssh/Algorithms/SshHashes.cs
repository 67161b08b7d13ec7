using System;
using System.Security.Cryptography;

namespace SecureNmc.Simulator.Ssh.Algorithms
{
    /// <summary>The hash functions SSH names, created from the framework.</summary>
    internal static class SshHashes
    {
        public static HashAlgorithm Create(HashAlgorithmName name)
        {
            if (name == HashAlgorithmName.SHA1) return SHA1.Create();
            if (name == HashAlgorithmName.SHA256) return SHA256.Create();
            if (name == HashAlgorithmName.SHA384) return SHA384.Create();
            if (name == HashAlgorithmName.SHA512) return SHA512.Create();
            throw new ArgumentException($"Unsupported hash {name.Name}.");
        }

        public static byte[] Compute(HashAlgorithmName name, byte[] data)
        {
            using var hash = Create(name);
            return hash.ComputeHash(data);
        }

        public static HMAC CreateHmac(HashAlgorithmName name, byte[] key)
        {
            if (name == HashAlgorithmName.SHA1) return new HMACSHA1(key);
            if (name == HashAlgorithmName.SHA256) return new HMACSHA256(key);
            if (name == HashAlgorithmName.SHA512) return new HMACSHA512(key);
            throw new ArgumentException($"Unsupported HMAC hash {name.Name}.");
        }
    }
}
