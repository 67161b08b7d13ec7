using System.Collections.Generic;
using System.Linq;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Core.Transport.Scp;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>One algorithm under test, and how to make a peer offer only it.</summary>
    public static class SshAlgorithmMatrix
    {
        public const string Kex = "kex";
        public const string HostKey = "hostkey";
        public const string Cipher = "cipher";
        public const string Mac = "mac";

        /// <summary>Every algorithm of the catalog, legacy included: (category, name).</summary>
        public static IEnumerable<object[]> All()
        {
            foreach (var n in SshAlgorithmCatalog.KeyExchangeNames(true)) yield return new object[] { Kex, n };
            foreach (var n in SshAlgorithmCatalog.HostKeyAlgorithmNames(true)) yield return new object[] { HostKey, n };
            foreach (var n in SshAlgorithmCatalog.CipherNames(true)) yield return new object[] { Cipher, n };
            foreach (var n in SshAlgorithmCatalog.MacNames(true)) yield return new object[] { Mac, n };
        }

        /// <summary>
        /// Everything the product's SSH.NET client can offer (modern, NIST on retry, legacy on opt-in):
        /// (category, name), limited to what this machine's sshd implements (ssh -Q).
        /// </summary>
        public static IEnumerable<object[]> ClientOffer()
        {
            foreach (var (category, query, names) in new[]
            {
                (Kex, "kex", SshNetAlgorithms.ModernKeyExchanges.Concat(SshNetAlgorithms.NistKeyExchanges).Concat(SshNetAlgorithms.LegacyKeyExchanges)),
                (HostKey, "HostKeyAlgorithms", SshNetAlgorithms.ModernHostKeys.Concat(SshNetAlgorithms.NistHostKeys).Concat(SshNetAlgorithms.LegacyHostKeys)),
                (Cipher, "cipher", SshNetAlgorithms.ModernCiphers.Concat(SshNetAlgorithms.LegacyCiphers)),
                (Mac, "mac", SshNetAlgorithms.ModernMacs.Concat(SshNetAlgorithms.LegacyMacs)),
            })
            {
                var known = SshdKnows(query);
                foreach (var n in names)
                    if (known.Contains(n)) yield return new object[] { category, n };
            }
        }

        public static bool IsClientLegacy(string name) => SshNetAlgorithms.AllLegacy.Contains(name);

        private static HashSet<string> SshdKnows(string query)
        {
            var ssh = SshPeers.Which("ssh");
            if (ssh == null) return new HashSet<string>();
            var result = SshPeerProcess.Run(ssh, new[] { "-Q", query }, System.TimeSpan.FromSeconds(20));
            return new HashSet<string>(result.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        }

        public static bool IsLegacy(string category, string name) => category switch
        {
            Kex => SshAlgorithmCatalog.FindKeyExchange(name)!.IsLegacy,
            HostKey => SshAlgorithmCatalog.FindHostKeyAlgorithm(name)!.IsLegacy,
            Cipher => SshAlgorithmCatalog.FindCipher(name)!.IsLegacy,
            _ => SshAlgorithmCatalog.FindMac(name)!.IsLegacy,
        };

        /// <summary>ssh-keygen type of the host key that signs with <paramref name="hostKeyAlgorithm"/>.</summary>
        public static string KeyFileType(string hostKeyAlgorithm) => hostKeyAlgorithm switch
        {
            "ssh-ed25519" => "ed25519",
            "ecdsa-sha2-nistp256" => "ecdsa256",
            "ecdsa-sha2-nistp384" => "ecdsa384",
            "ecdsa-sha2-nistp521" => "ecdsa521",
            _ => "rsa",
        };

        /// <summary>sshd settings offering only this algorithm (MACs only matter with a non-AEAD cipher).</summary>
        public static SshdConfig SshdOffering(string category, string name) => category switch
        {
            Kex => new SshdConfig { KexAlgorithms = name },
            HostKey => new SshdConfig { HostKeyAlgorithms = name, HostKeys = new[] { KeyFileType(name) } },
            Cipher => new SshdConfig { Ciphers = name },
            _ => new SshdConfig { Macs = name, Ciphers = "aes128-ctr" },
        };

        /// <summary>ssh/scp -o options asking for exactly this algorithm.</summary>
        public static string[] OpenSshClientOptions(string category, string name) => category switch
        {
            Kex => new[] { "-o", "KexAlgorithms=" + name },
            HostKey => new[] { "-o", "HostKeyAlgorithms=" + name },
            Cipher => new[] { "-o", "Ciphers=" + name },
            _ => new[] { "-o", "MACs=" + name, "-o", "Ciphers=aes128-ctr" },
        };
    }
}
