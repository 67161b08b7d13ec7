using System;
using System.Security.Cryptography;
using SecureNmc.Core.Ssh.Algorithms;
using SecureNmc.Core.Ssh.Keys;
using SecureNmc.Core.Ssh.Wire;

namespace SecureNmc.Simulator.Cards
{
    /// <summary>
    /// A card's SSH host key: ECDSA on NIST P-256 (RFC 5656), which NMC3 supports and which is quick to
    /// generate for a fleet of hundreds (NMC3's default RSA-2048 would take seconds per card).
    /// </summary>
    public sealed class SimulatorHostKey : IHostKey, IDisposable
    {
        public const string AlgorithmName = "ecdsa-sha2-nistp256";
        private readonly ECDsa? _key;
        private readonly IHostKey? _rsa;

        public SimulatorHostKey()
        {
            _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var q = _key.ExportParameters(false).Q;
            var point = new byte[1 + q.X.Length + q.Y.Length];
            point[0] = 0x04; // uncompressed point
            Buffer.BlockCopy(q.X, 0, point, 1, q.X.Length);
            Buffer.BlockCopy(q.Y, 0, point, 1 + q.X.Length, q.Y.Length);
            PublicKeyBlob = new SshWireWriter().WriteString(AlgorithmName).WriteString("nistp256").WriteBinary(point).ToArray();
            using var sha = SHA256.Create();
            Fingerprint = "SHA256:" + Convert.ToBase64String(sha.ComputeHash(PublicKeyBlob)).TrimEnd('=');
        }

        private SimulatorHostKey(IHostKey rsa)
        {
            _rsa = rsa;
            PublicKeyBlob = rsa.PublicKeyBlob;
            using var sha = SHA256.Create();
            Fingerprint = "SHA256:" + Convert.ToBase64String(sha.ComputeHash(PublicKeyBlob)).TrimEnd('=');
        }

        /// <summary>An RSA-2048 key, the only kind the <see cref="CardFaults.RsaHostKeyOnly"/> and <see cref="CardFaults.LegacySshOnly"/> cards have.</summary>
        public static SimulatorHostKey Rsa() => new SimulatorHostKey(SshHostKeys.Generate("ssh-rsa", 2048));

        public string KeyType => _rsa?.KeyType ?? AlgorithmName;
        public byte[] PublicKeyBlob { get; }
        public string[] SignatureAlgorithms => _rsa?.SignatureAlgorithms ?? new[] { AlgorithmName };

        /// <summary>"SHA256:..." as OpenSSH prints it.</summary>
        public string Fingerprint { get; }

        public byte[] Sign(string algorithmName, byte[] data)
        {
            if (_rsa != null) return _rsa.Sign(algorithmName, data);
            if (algorithmName != AlgorithmName) throw new ArgumentException($"This host key signs only with {AlgorithmName}, not {algorithmName}.", nameof(algorithmName));
            var raw = _key!.SignData(data, HashAlgorithmName.SHA256); // r || s, 32 bytes each
            var r = new byte[32];
            var s = new byte[32];
            Buffer.BlockCopy(raw, 0, r, 0, 32);
            Buffer.BlockCopy(raw, 32, s, 0, 32);
            var inner = new SshWireWriter().WriteMpintUnsigned(r).WriteMpintUnsigned(s).ToArray();
            return new SshWireWriter().WriteString(AlgorithmName).WriteBinary(inner).ToArray();
        }

        public void Dispose()
        {
            _key?.Dispose();
            (_rsa as IDisposable)?.Dispose();
        }
    }
}
