using SecureNmc.Simulator.Ssh.Wire;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace SecureNmc.Simulator.Ssh.Algorithms.HostKeys
{
    /// <summary>ssh-ed25519 (RFC 8709): blob string("ssh-ed25519") + string(32-byte key); signature is 64 bytes.</summary>
    internal sealed class Ed25519HostKeyAlgorithm : HostKeyAlgorithmBase
    {
        public const string AlgorithmName = "ssh-ed25519";

        public Ed25519HostKeyAlgorithm() : base(AlgorithmName, AlgorithmName, isLegacy: false) { }

        protected override bool VerifyRaw(byte[] publicKeyBlob, byte[] data, byte[] signature)
        {
            var key = ParsePublicKey(publicKeyBlob);
            if (key == null || signature.Length != Ed25519.SignatureSize) return false;
            return Ed25519.Verify(signature, 0, key, 0, data, 0, data.Length);
        }

        /// <summary>The 32-byte public key, or null when the blob is not a well-formed ssh-ed25519 key.</summary>
        internal static byte[]? ParsePublicKey(byte[] blob)
        {
            var reader = new SshWireReader(blob);
            if (reader.ReadString() != AlgorithmName) return null;
            var key = reader.ReadBinary();
            return reader.AtEnd && key.Length == Ed25519.PublicKeySize ? key : null;
        }

        internal static byte[] EncodePublicKey(byte[] key) =>
            new SshWireWriter().WriteString(AlgorithmName).WriteBinary(key).ToArray();
    }
}
