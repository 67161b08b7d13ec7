using System;
using System.Security.Cryptography;
using System.Threading;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Keys;

namespace SecureNmc.Simulator.Cards
{
    /// <summary>The host key a simulated card presents.</summary>
    public enum SimulatorHostKeyType
    {
        /// <summary>RSA 2048 bits, signing rsa-sha2-512 / rsa-sha2-256: what an NMC3 ships with.</summary>
        Rsa2048 = 0,
        /// <summary>ECDSA on NIST P-256 (ecdsa-sha2-nistp256), which an NMC3 user can select instead.</summary>
        EcdsaP256 = 1,
    }

    /// <summary>
    /// A card's SSH host key: RSA-2048 by default, as NMC3 ships, or ECDSA P-256 when the card's profile
    /// selects it. RSA-2048 keys take about half a second each to generate on a busy machine, so a fleet
    /// draws them from a small pool shared by the process: cards at different addresses may share a key
    /// (harmless for trust on first use, which records host:port), while a card and its replacement key
    /// (a "card swap" fault) always differ.
    /// </summary>
    public sealed class SimulatorHostKey : IHostKey, IDisposable
    {
        private const int RsaPoolSize = 8;
        private static readonly Lazy<IHostKey>[] RsaPool = CreatePool();
        private static int _nextRsa = -1;
        private readonly IHostKey _key;
        private readonly bool _owned;
        private readonly bool _sha1Only;

        private SimulatorHostKey(IHostKey key, bool owned, bool sha1Only = false)
        {
            _key = key;
            _owned = owned;
            _sha1Only = sha1Only;
            using var sha = SHA256.Create();
            Fingerprint = "SHA256:" + Convert.ToBase64String(sha.ComputeHash(key.PublicKeyBlob)).TrimEnd('=');
        }

        /// <summary>A key of <paramref name="type"/>; RSA keys come from the process-wide pool, in turn.</summary>
        public static SimulatorHostKey Create(SimulatorHostKeyType type) => Create(type, null);

        /// <summary>A key of <paramref name="type"/> that is not <paramref name="other"/> (a card's replacement key).</summary>
        public static SimulatorHostKey Create(SimulatorHostKeyType type, SimulatorHostKey? other)
        {
            if (type == SimulatorHostKeyType.EcdsaP256) return new SimulatorHostKey(SshHostKeys.Generate("ecdsa-sha2-nistp256"), owned: true);
            while (true)
            {
                var key = RsaPool[(Interlocked.Increment(ref _nextRsa) & int.MaxValue) % RsaPoolSize].Value;
                if (other == null || !ReferenceEquals(key, other._key)) return new SimulatorHostKey(key, owned: false);
            }
        }

        /// <summary>
        /// An NMC2-era card's RSA key: it signs only with SHA-1 ssh-rsa (the LegacySshOnly fault), so a
        /// client must opt in to legacy algorithms to reach it.
        /// </summary>
        public static SimulatorHostKey LegacyRsa() =>
            new SimulatorHostKey(RsaPool[(Interlocked.Increment(ref _nextRsa) & int.MaxValue) % RsaPoolSize].Value, owned: false, sha1Only: true);

        public string KeyType => _key.KeyType;
        public byte[] PublicKeyBlob => _key.PublicKeyBlob;

        /// <summary>RSA: rsa-sha2-512 and rsa-sha2-256 (never SHA-1 ssh-rsa, which NMC3 firmware no longer offers); ECDSA: ecdsa-sha2-nistp256.</summary>
        public string[] SignatureAlgorithms =>
            _sha1Only ? new[] { "ssh-rsa" } : KeyType == "ssh-rsa" ? new[] { "rsa-sha2-512", "rsa-sha2-256" } : _key.SignatureAlgorithms;

        /// <summary>"SHA256:..." as OpenSSH prints it.</summary>
        public string Fingerprint { get; }

        public byte[] Sign(string algorithmName, byte[] data)
        {
            if (Array.IndexOf(SignatureAlgorithms, algorithmName) < 0)
                throw new ArgumentException($"This host key signs only with {string.Join(", ", SignatureAlgorithms)}, not {algorithmName}.", nameof(algorithmName));
            return _key.Sign(algorithmName, data);
        }

        /// <summary>Releases an ECDSA key; pooled RSA keys stay for the next cards.</summary>
        public void Dispose()
        {
            if (_owned) (_key as IDisposable)?.Dispose();
        }

        private static Lazy<IHostKey>[] CreatePool()
        {
            var pool = new Lazy<IHostKey>[RsaPoolSize];
            for (int i = 0; i < pool.Length; i++) pool[i] = new Lazy<IHostKey>(() => SshHostKeys.Generate("ssh-rsa", 2048), LazyThreadSafetyMode.ExecutionAndPublication);
            return pool;
        }
    }
}
