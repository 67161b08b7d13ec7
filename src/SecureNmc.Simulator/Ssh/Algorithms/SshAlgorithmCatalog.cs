using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using SecureNmc.Simulator.Ssh.Algorithms.HostKeys;
using SecureNmc.Simulator.Ssh.Algorithms.KeyExchange;
using SecureNmc.Simulator.Ssh.Algorithms.Protection;

namespace SecureNmc.Simulator.Ssh.Algorithms
{
    /// <summary>
    /// Every SSH-2 algorithm SecureNmc implements, in preference order (modern first, legacy last
    /// and flagged <c>IsLegacy</c>), plus the factory for packet protection. See docs/ssh-algorithms.md.
    /// </summary>
    public static class SshAlgorithmCatalog
    {
        public static IReadOnlyList<IKeyExchangeMethod> KeyExchangeMethods { get; } = new IKeyExchangeMethod[]
        {
            new Curve25519KeyExchange("curve25519-sha256"),
            new Curve25519KeyExchange("curve25519-sha256@libssh.org"),
            new EcdhKeyExchange("ecdh-sha2-nistp256", "P-256", HashAlgorithmName.SHA256),
            new EcdhKeyExchange("ecdh-sha2-nistp384", "P-384", HashAlgorithmName.SHA384),
            new EcdhKeyExchange("ecdh-sha2-nistp521", "P-521", HashAlgorithmName.SHA512),
            new DiffieHellmanGroupExchange("diffie-hellman-group-exchange-sha256", HashAlgorithmName.SHA256, exponentBits: 512, minGroupBits: 2048, isLegacy: false),
            new DiffieHellmanKeyExchange("diffie-hellman-group16-sha512", ModpGroups.Group16_4096, HashAlgorithmName.SHA512, exponentBits: 512, isLegacy: false),
            new DiffieHellmanKeyExchange("diffie-hellman-group14-sha256", ModpGroups.Group14_2048, HashAlgorithmName.SHA256, exponentBits: 512, isLegacy: false),
            // Legacy: SHA-1 exchange hashes and (group1) a 1024-bit group; only for old cards that offer nothing better.
            new DiffieHellmanKeyExchange("diffie-hellman-group14-sha1", ModpGroups.Group14_2048, HashAlgorithmName.SHA1, exponentBits: 320, isLegacy: true),
            new DiffieHellmanGroupExchange("diffie-hellman-group-exchange-sha1", HashAlgorithmName.SHA1, exponentBits: 320, minGroupBits: 1024, isLegacy: true),
            new DiffieHellmanKeyExchange("diffie-hellman-group1-sha1", ModpGroups.Oakley2_1024, HashAlgorithmName.SHA1, exponentBits: 320, isLegacy: true),
        };

        public static IReadOnlyList<IHostKeyAlgorithm> HostKeyAlgorithms { get; } = new IHostKeyAlgorithm[]
        {
            new Ed25519HostKeyAlgorithm(),
            new EcdsaHostKeyAlgorithm(EcdsaCurve.NistP256),
            new EcdsaHostKeyAlgorithm(EcdsaCurve.NistP384),
            new EcdsaHostKeyAlgorithm(EcdsaCurve.NistP521),
            new RsaHostKeyAlgorithm("rsa-sha2-512", HashAlgorithmName.SHA512, isLegacy: false),
            new RsaHostKeyAlgorithm("rsa-sha2-256", HashAlgorithmName.SHA256, isLegacy: false),
            new RsaHostKeyAlgorithm("ssh-rsa", HashAlgorithmName.SHA1, isLegacy: true),
        };

        public static IReadOnlyList<ICipherAlgorithm> Ciphers { get; } = new ICipherAlgorithm[]
        {
            new CipherAlgorithm("chacha20-poly1305@openssh.com", Protection.CipherMode.ChaCha20Poly1305, 64, 0, 8, isLegacy: false),
            new CipherAlgorithm("aes256-gcm@openssh.com", Protection.CipherMode.AesGcm, 32, 12, 16, isLegacy: false),
            new CipherAlgorithm("aes128-gcm@openssh.com", Protection.CipherMode.AesGcm, 16, 12, 16, isLegacy: false),
            new CipherAlgorithm("aes256-ctr", Protection.CipherMode.AesCtr, 32, 16, 16, isLegacy: false),
            new CipherAlgorithm("aes192-ctr", Protection.CipherMode.AesCtr, 24, 16, 16, isLegacy: false),
            new CipherAlgorithm("aes128-ctr", Protection.CipherMode.AesCtr, 16, 16, 16, isLegacy: false),
            // Legacy: CBC framing is open to padding-oracle style attacks on encrypt-and-MAC; 3DES has 64-bit blocks.
            new CipherAlgorithm("aes256-cbc", Protection.CipherMode.AesCbc, 32, 16, 16, isLegacy: true),
            new CipherAlgorithm("aes192-cbc", Protection.CipherMode.AesCbc, 24, 16, 16, isLegacy: true),
            new CipherAlgorithm("aes128-cbc", Protection.CipherMode.AesCbc, 16, 16, 16, isLegacy: true),
            new CipherAlgorithm("3des-cbc", Protection.CipherMode.TripleDesCbc, 24, 8, 8, isLegacy: true),
        };

        public static IReadOnlyList<IMacAlgorithm> Macs { get; } = new IMacAlgorithm[]
        {
            new MacAlgorithm("hmac-sha2-256-etm@openssh.com", HashAlgorithmName.SHA256, 32, encryptThenMac: true, isLegacy: false),
            new MacAlgorithm("hmac-sha2-512-etm@openssh.com", HashAlgorithmName.SHA512, 64, encryptThenMac: true, isLegacy: false),
            new MacAlgorithm("hmac-sha2-256", HashAlgorithmName.SHA256, 32, encryptThenMac: false, isLegacy: false),
            new MacAlgorithm("hmac-sha2-512", HashAlgorithmName.SHA512, 64, encryptThenMac: false, isLegacy: false),
            new MacAlgorithm("hmac-sha1-etm@openssh.com", HashAlgorithmName.SHA1, 20, encryptThenMac: true, isLegacy: true),
            new MacAlgorithm("hmac-sha1", HashAlgorithmName.SHA1, 20, encryptThenMac: false, isLegacy: true),
        };

        public static IReadOnlyList<string> KeyExchangeNames(bool includeLegacy) => Names(KeyExchangeMethods, m => m.Name, m => m.IsLegacy, includeLegacy);
        public static IReadOnlyList<string> HostKeyAlgorithmNames(bool includeLegacy) => Names(HostKeyAlgorithms, a => a.Name, a => a.IsLegacy, includeLegacy);
        public static IReadOnlyList<string> CipherNames(bool includeLegacy) => Names(Ciphers, c => c.Name, c => c.IsLegacy, includeLegacy);
        public static IReadOnlyList<string> MacNames(bool includeLegacy) => Names(Macs, m => m.Name, m => m.IsLegacy, includeLegacy);

        public static IKeyExchangeMethod? FindKeyExchange(string name) => KeyExchangeMethods.FirstOrDefault(m => m.Name == name);
        public static IHostKeyAlgorithm? FindHostKeyAlgorithm(string name) => HostKeyAlgorithms.FirstOrDefault(a => a.Name == name);
        public static ICipherAlgorithm? FindCipher(string name) => Ciphers.FirstOrDefault(c => c.Name == name);
        public static IMacAlgorithm? FindMac(string name) => Macs.FirstOrDefault(m => m.Name == name);

        /// <summary>The protection in force before the first NEWKEYS.</summary>
        public static IPacketProtection CreateNone() => new NonePacketProtection();

        /// <summary>
        /// Packet protection for one direction. Keys and IV may be longer than needed (the first
        /// bytes are used). <paramref name="macName"/> is ignored for AEAD ciphers and required otherwise.
        /// </summary>
        public static IPacketProtection CreateProtection(string cipherName, string? macName, byte[] encryptionKey, byte[] iv, byte[]? macKey, bool sending)
        {
            var cipher = FindCipher(cipherName) as CipherAlgorithm
                         ?? throw new ArgumentException($"Unknown SSH cipher '{cipherName}'.", nameof(cipherName));
            var key = CryptoBytes.Take(encryptionKey, cipher.KeyLength, cipher.Name + " key");
            try
            {
                switch (cipher.Mode)
                {
                    case Protection.CipherMode.ChaCha20Poly1305:
                        return new ChaCha20Poly1305PacketProtection(key, sending);
                    case Protection.CipherMode.AesGcm:
                        return new AesGcmPacketProtection(key, CryptoBytes.Take(iv, cipher.IvLength, cipher.Name + " IV"), sending);
                }
                var mac = (macName == null ? null : FindMac(macName) as MacAlgorithm)
                          ?? throw new ArgumentException($"Cipher '{cipherName}' needs a MAC, and '{macName ?? "(none)"}' is not a known SSH MAC.", nameof(macName));
                var macKeyBytes = CryptoBytes.Take(macKey, mac.KeyLength, mac.Name + " key");
                var ivBytes = CryptoBytes.Take(iv, cipher.IvLength, cipher.Name + " IV");
                IBlockTransform transform = cipher.Mode switch
                {
                    Protection.CipherMode.AesCtr => new AesCtrTransform(key, ivBytes),
                    Protection.CipherMode.AesCbc => CbcTransform.Aes(key, ivBytes, sending),
                    Protection.CipherMode.TripleDesCbc => CbcTransform.TripleDes(key, ivBytes, sending),
                    _ => throw new InvalidOperationException($"No transform for {cipher.Name}."),
                };
                return new BlockCipherPacketProtection(transform, mac, macKeyBytes, sending);
            }
            finally
            {
                CryptoBytes.Wipe(key);
            }
        }

        private static IReadOnlyList<string> Names<T>(IEnumerable<T> items, Func<T, string> name, Func<T, bool> isLegacy, bool includeLegacy) =>
            items.Where(i => includeLegacy || !isLegacy(i)).Select(name).ToArray();
    }
}
