using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.Ssh.Algorithms;

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
