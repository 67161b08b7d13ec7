using System;
using System.Security.Cryptography;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Algorithms.HostKeys
{
    /// <summary>
    /// Shared shape of signature verification: parse the signature blob, insist on the negotiated
    /// algorithm name, and turn every parsing or crypto failure into "false".
    /// </summary>
    internal abstract class HostKeyAlgorithmBase : IHostKeyAlgorithm
    {
        protected HostKeyAlgorithmBase(string name, string keyType, bool isLegacy)
        {
            Name = name;
            KeyType = keyType;
            IsLegacy = isLegacy;
        }

        public string Name { get; }
        public string KeyType { get; }
        public bool IsLegacy { get; }

        public bool Verify(byte[] publicKeyBlob, byte[] data, byte[] signatureBlob)
        {
            if (publicKeyBlob == null || data == null || signatureBlob == null) return false;
            try
            {
                var sig = new SshWireReader(signatureBlob);
                if (sig.ReadString() != Name) return false;
                var signature = sig.ReadBinary();
                if (!sig.AtEnd) return false;
                return VerifyRaw(publicKeyBlob, data, signature);
            }
            catch (Exception e) when (IsMalformedInput(e))
            {
                return false;
            }
        }

        /// <summary>Verifies the inner signature bytes against the key blob; may throw on malformed input.</summary>
        protected abstract bool VerifyRaw(byte[] publicKeyBlob, byte[] data, byte[] signature);

        /// <summary>Exceptions that mean "the peer's bytes are bad", as opposed to a bug in our code.</summary>
        internal static bool IsMalformedInput(Exception e) =>
            e is SshWireException || e is CryptographicException || e is ArgumentException ||
            e is FormatException || e is InvalidOperationException || e is ArithmeticException ||
            e is IndexOutOfRangeException || e is Org.BouncyCastle.Crypto.CryptoException;

        public override string ToString() => Name;
    }
}
