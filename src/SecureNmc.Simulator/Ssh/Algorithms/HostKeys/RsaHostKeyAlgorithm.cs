using System;
using System.Security.Cryptography;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Algorithms.HostKeys
{
    /// <summary>
    /// RSA PKCS#1 v1.5 signatures over an "ssh-rsa" key blob (string type + mpint e + mpint n):
    /// rsa-sha2-512 / rsa-sha2-256 (RFC 8332) and the legacy SHA-1 "ssh-rsa" (RFC 4253).
    /// </summary>
    internal sealed class RsaHostKeyAlgorithm : HostKeyAlgorithmBase
    {
        public const string KeyTypeName = "ssh-rsa";
        /// <summary>OpenSSH refuses RSA keys below 1024 bits; so do we. The upper bound stops absurd work.</summary>
        public const int MinimumModulusBits = 1024;
        public const int MaximumModulusBits = 16384;

        public RsaHostKeyAlgorithm(string name, HashAlgorithmName hash, bool isLegacy) : base(name, KeyTypeName, isLegacy)
        {
            HashName = hash;
        }

        public HashAlgorithmName HashName { get; }

        protected override bool VerifyRaw(byte[] publicKeyBlob, byte[] data, byte[] signature)
        {
            var parameters = ParsePublicKey(publicKeyBlob);
            if (parameters == null) return false;
            var modulusLength = parameters.Value.Modulus.Length;
            // OpenSSH accepts a signature a few bytes shorter than the modulus (leading zeros dropped) and pads it.
            if (signature.Length == 0 || signature.Length > modulusLength) return false;
            if (signature.Length < modulusLength)
            {
                var padded = new byte[modulusLength];
                Buffer.BlockCopy(signature, 0, padded, modulusLength - signature.Length, signature.Length);
                signature = padded;
            }
            using var rsa = RSA.Create();
            rsa.ImportParameters(parameters.Value);
            return rsa.VerifyData(data, signature, HashName, RSASignaturePadding.Pkcs1);
        }

        /// <summary>Modulus and exponent from a well-formed ssh-rsa blob of an acceptable size, else null.</summary>
        internal static RSAParameters? ParsePublicKey(byte[] blob)
        {
            var reader = new SshWireReader(blob);
            if (reader.ReadString() != KeyTypeName) return null;
            var e = reader.ReadMpintUnsigned();
            var n = reader.ReadMpintUnsigned();
            if (!reader.AtEnd || e.Length == 0 || n.Length == 0) return null;
            int bits = ModulusBits(n);
            if (bits < MinimumModulusBits || bits > MaximumModulusBits) return null;
            if ((e[e.Length - 1] & 1) == 0 || (e.Length == 1 && e[0] < 3)) return null; // e must be odd and at least 3
            return new RSAParameters { Modulus = n, Exponent = e };
        }

        internal static int ModulusBits(byte[] n)
        {
            int top = n[0], bits = (n.Length - 1) * 8;
            while (top != 0) { bits++; top >>= 1; }
            return bits;
        }

        internal static byte[] EncodePublicKey(RSAParameters p) =>
            new SshWireWriter().WriteString(KeyTypeName).WriteMpintUnsigned(p.Exponent).WriteMpintUnsigned(p.Modulus).ToArray();
    }
}
