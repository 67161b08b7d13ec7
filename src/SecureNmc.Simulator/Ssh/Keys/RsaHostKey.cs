using System;
using System.Security.Cryptography;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Algorithms.HostKeys;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Keys
{
    /// <summary>An RSA host private key; signs rsa-sha2-512, rsa-sha2-256 and (legacy) ssh-rsa.</summary>
    internal sealed class RsaHostKey : IHostKey, IOpenSshPrivateKey, IDisposable
    {
        private readonly RSA _rsa;
        private readonly RSAParameters _parameters;

        public RsaHostKey(RSAParameters parameters)
        {
            _rsa = RSA.Create();
            _rsa.ImportParameters(parameters);
            _parameters = parameters;
            PublicKeyBlob = RsaHostKeyAlgorithm.EncodePublicKey(parameters);
        }

        public string KeyType => RsaHostKeyAlgorithm.KeyTypeName;
        public byte[] PublicKeyBlob { get; }
        public string[] SignatureAlgorithms => new[] { "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa" };
        public int ModulusBits => RsaHostKeyAlgorithm.ModulusBits(_parameters.Modulus);

        public byte[] Sign(string algorithmName, byte[] data)
        {
            HashAlgorithmName hash = algorithmName switch
            {
                "rsa-sha2-512" => HashAlgorithmName.SHA512,
                "rsa-sha2-256" => HashAlgorithmName.SHA256,
                "ssh-rsa" => HashAlgorithmName.SHA1,
                _ => throw new ArgumentException($"An RSA key cannot sign with '{algorithmName}'."),
            };
            byte[] signature;
            // One host key serves many simultaneous connections; platform key objects are not documented as thread-safe.
            lock (_rsa) signature = _rsa.SignData(data, hash, RSASignaturePadding.Pkcs1);
            return new SshWireWriter().WriteString(algorithmName).WriteBinary(signature).ToArray();
        }

        /// <summary>OpenSSH stores mpint n, e, d, iqmp, p, q.</summary>
        public void WritePrivateFields(SshWireWriter writer)
        {
            writer.WriteMpintUnsigned(_parameters.Modulus)
                  .WriteMpintUnsigned(_parameters.Exponent)
                  .WriteMpintUnsigned(_parameters.D)
                  .WriteMpintUnsigned(_parameters.InverseQ)
                  .WriteMpintUnsigned(_parameters.P)
                  .WriteMpintUnsigned(_parameters.Q);
        }

        public void Dispose() => _rsa.Dispose();
    }
}
