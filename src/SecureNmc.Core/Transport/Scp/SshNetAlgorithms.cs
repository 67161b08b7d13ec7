using System;
using System.Collections.Generic;
using System.Linq;
using Renci.SshNet;

namespace SecureNmc.Core.Transport.Scp
{
    /// <summary>
    /// What the SSH.NET client offers a card, in preference order. SSH.NET's own defaults include
    /// NMC2-era algorithms and compression; these lists keep only what the product chooses:
    /// modern algorithms by default, the legacy set only when a device opts in (AllowLegacySsh),
    /// and the NIST curves only on a second try against a card that offers nothing else.
    /// Strict key exchange (kex-strict-c-v00@openssh.com) is always offered by SSH.NET itself.
    /// See docs/ssh-algorithms.md.
    /// </summary>
    public static class SshNetAlgorithms
    {
        public static IReadOnlyList<string> ModernKeyExchanges { get; } = new[]
        {
            "mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
            "curve25519-sha256", "curve25519-sha256@libssh.org",
            "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256",
        };

        /// <summary>Auditors fail NIST curves; offered only when a card has nothing else (see <see cref="OffersOnlyNistCurves"/>).</summary>
        public static IReadOnlyList<string> NistKeyExchanges { get; } = new[] { "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521" };

        public static IReadOnlyList<string> LegacyKeyExchanges { get; } = new[] { "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1", "diffie-hellman-group1-sha1" };

        public static IReadOnlyList<string> ModernHostKeys { get; } = new[] { "ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256" };
        public static IReadOnlyList<string> NistHostKeys { get; } = new[] { "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" };
        public static IReadOnlyList<string> LegacyHostKeys { get; } = new[] { "ssh-rsa" };

        public static IReadOnlyList<string> ModernCiphers { get; } = new[]
        {
            "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com", "aes256-ctr", "aes192-ctr", "aes128-ctr",
        };

        public static IReadOnlyList<string> LegacyCiphers { get; } = new[] { "aes256-cbc", "aes192-cbc", "aes128-cbc", "3des-cbc" };

        public static IReadOnlyList<string> ModernMacs { get; } = new[] { "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512" };
        public static IReadOnlyList<string> LegacyMacs { get; } = new[] { "hmac-sha1-etm@openssh.com", "hmac-sha1" };

        /// <summary>Every legacy name, for telling a user that legacy algorithms would help.</summary>
        public static IReadOnlyList<string> AllLegacy { get; } = LegacyKeyExchanges.Concat(LegacyHostKeys).Concat(LegacyCiphers).Concat(LegacyMacs).ToArray();

        public static bool IsNist(string name) => NistKeyExchanges.Contains(name) || NistHostKeys.Contains(name);

        /// <summary>The key type a host-key algorithm signs with (rsa-sha2-512 uses an ssh-rsa key).</summary>
        public static string KeyTypeOf(string hostKeyAlgorithm) =>
            hostKeyAlgorithm.StartsWith("rsa-sha2-", StringComparison.Ordinal) ? "ssh-rsa" : hostKeyAlgorithm;

        /// <summary>
        /// Prunes and orders <paramref name="info"/>'s algorithm tables to the product's offer. Host-key
        /// algorithms for <paramref name="knownKeyTypes"/> (what the known-hosts store holds for this card)
        /// come first, so a card with several keys shows the one on record rather than raise a false alarm;
        /// a known ECDSA key also brings its curve into the offer.
        /// </summary>
        public static void Apply(ConnectionInfo info, bool allowLegacy, bool allowNistCurves, IReadOnlyCollection<string>? knownKeyTypes = null)
        {
            if (info == null) throw new ArgumentNullException(nameof(info));
            var known = knownKeyTypes ?? Array.Empty<string>();
            Keep(info.KeyExchangeAlgorithms, Offer(ModernKeyExchanges, NistKeyExchanges, LegacyKeyExchanges, allowLegacy, allowNistCurves));
            var hostKeys = Offer(ModernHostKeys, NistHostKeys, LegacyHostKeys, allowLegacy, allowNistCurves).ToList();
            hostKeys.AddRange(NistHostKeys.Where(n => known.Contains(n) && !hostKeys.Contains(n)));
            Keep(info.HostKeyAlgorithms, hostKeys.Where(n => known.Contains(KeyTypeOf(n))).Concat(hostKeys.Where(n => !known.Contains(KeyTypeOf(n)))).ToArray());
            Keep(info.Encryptions, Offer(ModernCiphers, Array.Empty<string>(), LegacyCiphers, allowLegacy, false));
            Keep(info.HmacAlgorithms, Offer(ModernMacs, Array.Empty<string>(), LegacyMacs, allowLegacy, false));
            // Cards do not compress, and compression under encryption leaks (CRIME-style): never offer it.
            Keep(info.CompressionAlgorithms, new[] { "none" });
        }

        /// <summary>The names offered, in order, for one category.</summary>
        public static IReadOnlyList<string> Offer(IReadOnlyList<string> modern, IReadOnlyList<string> nist, IReadOnlyList<string> legacy, bool allowLegacy, bool allowNistCurves)
        {
            var names = new List<string>(modern);
            // NIST curves go after the modern ones: a card that also offers Curve25519 or RSA keeps using those.
            if (allowNistCurves || allowLegacy) names.AddRange(nist);
            if (allowLegacy) names.AddRange(legacy);
            return names;
        }

        /// <summary>
        /// True when SSH.NET's "No matching ... (server offers ...)" says the card offers a NIST curve and
        /// none of our modern choices: such a card (e.g. an ECDSA host key) is tried once more with the curves.
        /// </summary>
        public static bool OffersOnlyNistCurves(string? negotiationFailure)
        {
            var offered = ServerOffer(negotiationFailure);
            return offered.Count > 0 && offered.Any(IsNist);
        }

        /// <summary>The server's list quoted in SSH.NET's negotiation failure, or empty.</summary>
        public static IReadOnlyList<string> ServerOffer(string? negotiationFailure)
        {
            if (string.IsNullOrEmpty(negotiationFailure) || negotiationFailure!.IndexOf("No matching", StringComparison.Ordinal) < 0) return Array.Empty<string>();
            int start = negotiationFailure.IndexOf("server offers", StringComparison.Ordinal);
            if (start < 0) return Array.Empty<string>();
            start += "server offers".Length;
            int end = negotiationFailure.IndexOf(')', start);
            var list = end < 0 ? negotiationFailure.Substring(start) : negotiationFailure.Substring(start, end - start);
            return list.Split(new[] { ',', ' ', ':' }, StringSplitOptions.RemoveEmptyEntries);
        }

        private static void Keep<TValue>(IDictionary<string, TValue> table, IReadOnlyList<string> order)
        {
            var available = table.ToList();
            table.Clear();
            foreach (var name in order)
            {
                var found = available.FirstOrDefault(p => p.Key == name);
                if (found.Key != null) table.Add(found.Key, found.Value);
            }
        }
    }
}
