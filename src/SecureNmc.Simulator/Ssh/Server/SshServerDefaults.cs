using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Simulator.Ssh.Algorithms;

namespace SecureNmc.Simulator.Ssh.Server
{
    /// <summary>
    /// What the server offers when the caller does not choose: the catalog's modern algorithms
    /// minus those auditors (ssh-audit) flag: NIST-curve key exchanges and host keys, and
    /// encrypt-and-MAC modes. The client keeps them all, because cards may need them.
    /// </summary>
    public static class SshServerDefaults
    {
        private static bool IsNistCurve(string name) => name.StartsWith("ecdh-sha2-nistp", StringComparison.Ordinal) || name.StartsWith("ecdsa-sha2-nistp", StringComparison.Ordinal);

        public static IReadOnlyList<string> KeyExchangeAlgorithms(bool allowLegacy) =>
            allowLegacy ? SshAlgorithmCatalog.KeyExchangeNames(true) : SshAlgorithmCatalog.KeyExchangeNames(false).Where(n => !IsNistCurve(n)).ToArray();

        /// <summary>Hardened list, unless none of <paramref name="hostKeys"/> could then sign (e.g. only ECDSA keys).</summary>
        public static IReadOnlyList<string> HostKeyAlgorithms(bool allowLegacy, IEnumerable<IHostKey> hostKeys)
        {
            var all = SshAlgorithmCatalog.HostKeyAlgorithmNames(allowLegacy);
            if (allowLegacy) return all;
            var hardened = all.Where(n => !IsNistCurve(n)).ToArray();
            return hostKeys.Any(k => k.SignatureAlgorithms.Intersect(hardened).Any()) ? hardened : all;
        }

        public static IReadOnlyList<string> Ciphers(bool allowLegacy) => SshAlgorithmCatalog.CipherNames(allowLegacy);

        public static IReadOnlyList<string> Macs(bool allowLegacy) =>
            allowLegacy ? SshAlgorithmCatalog.MacNames(true) : SshAlgorithmCatalog.MacNames(false).Where(n => SshAlgorithmCatalog.FindMac(n)!.EncryptThenMac).ToArray();
    }
}
