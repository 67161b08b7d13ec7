using System;
using Org.BouncyCastle.Math.EC.Rfc8032;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Algorithms.HostKeys;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Keys
{
    /// <summary>An Ed25519 host private key (RFC 8032 seed plus its public key).</summary>
    internal sealed class Ed25519HostKey : IHostKey, IOpenSshPrivateKey
    {
        private readonly byte[] _seed;
        private readonly byte[] _publicKey;

        public Ed25519HostKey(byte[] seed)
        {
            if (seed == null || seed.Length != Ed25519.SecretKeySize) throw new ArgumentException("An Ed25519 private key is a 32-byte seed.");
            _seed = (byte[])seed.Clone();
            _publicKey = new byte[Ed25519.PublicKeySize];
            Ed25519.GeneratePublicKey(_seed, 0, _publicKey, 0);
            PublicKeyBlob = Ed25519HostKeyAlgorithm.EncodePublicKey(_publicKey);
        }

        public static Ed25519HostKey Generate() => new Ed25519HostKey(CryptoBytes.Random(Ed25519.SecretKeySize));

        public string KeyType => Ed25519HostKeyAlgorithm.AlgorithmName;
        public byte[] PublicKeyBlob { get; }
        public string[] SignatureAlgorithms => new[] { Ed25519HostKeyAlgorithm.AlgorithmName };

        internal byte[] PublicKey => (byte[])_publicKey.Clone();

        public byte[] Sign(string algorithmName, byte[] data)
        {
            if (algorithmName != Ed25519HostKeyAlgorithm.AlgorithmName)
                throw new ArgumentException($"An Ed25519 key cannot sign with '{algorithmName}'.");
            var signature = new byte[Ed25519.SignatureSize];
            Ed25519.Sign(_seed, 0, data, 0, data.Length, signature, 0);
            return new SshWireWriter().WriteString(algorithmName).WriteBinary(signature).ToArray();
        }

        /// <summary>OpenSSH stores string(pk) and string(seed || pk).</summary>
        public void WritePrivateFields(SshWireWriter writer)
        {
            var secret = new byte[64];
            Buffer.BlockCopy(_seed, 0, secret, 0, 32);
            Buffer.BlockCopy(_publicKey, 0, secret, 32, 32);
            writer.WriteBinary(_publicKey).WriteBinary(secret);
            CryptoBytes.Wipe(secret);
        }
    }
}
