using System;
using System.Security.Cryptography;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Algorithms.HostKeys;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Keys
{
    /// <summary>An ECDSA host private key on nistp256/384/521, signing with the framework's ECDsa.</summary>
    internal sealed class EcdsaHostKey : IHostKey, IOpenSshPrivateKey, IDisposable
    {
        private readonly EcdsaCurve _curve;
        private readonly ECDsa _ecdsa;
        private readonly ECParameters _parameters;

        public EcdsaHostKey(EcdsaCurve curve, ECParameters parameters)
        {
            _curve = curve;
            _ecdsa = ECDsa.Create(parameters);
            // Re-export so D, X and Y have their canonical fixed lengths whatever the source padded.
            _parameters = _ecdsa.ExportParameters(includePrivateParameters: true);
            PublicKeyBlob = EcdsaHostKeyAlgorithm.EncodePublicKey(curve, _parameters.Q);
        }

        public static EcdsaHostKey Generate(EcdsaCurve curve)
        {
            using var fresh = ECDsa.Create(curve.Curve);
            return new EcdsaHostKey(curve, fresh.ExportParameters(includePrivateParameters: true));
        }

        public string KeyType => _curve.KeyType;
        public byte[] PublicKeyBlob { get; }
        public string[] SignatureAlgorithms => new[] { _curve.KeyType };

        public byte[] Sign(string algorithmName, byte[] data)
        {
            if (algorithmName != _curve.KeyType)
                throw new ArgumentException($"An {_curve.KeyType} key cannot sign with '{algorithmName}'.");
            byte[] p1363;
            // One host key serves many simultaneous connections; platform key objects are not documented as thread-safe.
            lock (_ecdsa) p1363 = _ecdsa.SignData(data, _curve.Hash);
            int half = p1363.Length / 2;
            var r = new byte[half];
            var s = new byte[half];
            Buffer.BlockCopy(p1363, 0, r, 0, half);
            Buffer.BlockCopy(p1363, half, s, 0, half);
            var inner = new SshWireWriter().WriteMpintUnsigned(r).WriteMpintUnsigned(s).ToArray();
            return new SshWireWriter().WriteString(algorithmName).WriteBinary(inner).ToArray();
        }

        /// <summary>OpenSSH stores string(curve id), string(Q), mpint(d).</summary>
        public void WritePrivateFields(SshWireWriter writer)
        {
            writer.WriteString(_curve.Identifier)
                  .WriteBinary(EcdsaHostKeyAlgorithm.EncodePoint(_parameters.Q))
                  .WriteMpintUnsigned(_parameters.D);
        }

        public void Dispose() => _ecdsa.Dispose();
    }
}
