using System;
using System.Linq;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Ssh.KnownHosts
{
    /// <summary>
    /// Decides whether a server's host key is trusted: a pinned fingerprint wins; otherwise the
    /// known-hosts store, with trust on first use (default) or strict mode. A changed key is
    /// always refused, with both fingerprints and what to do.
    /// </summary>
    public sealed class HostKeyTrust
    {
        private readonly KnownHostsStore _store;
        private readonly SshClientOptions _options;
        private readonly string _host;
        private readonly int _port;

        public HostKeyTrust(KnownHostsStore store, SshClientOptions options, string host, int port)
        {
            _store = store;
            _options = options;
            _host = host;
            _port = port;
        }

        /// <summary>Key types on record for this host, to be asked for first.</summary>
        public string[] KnownKeyTypes() => _store.Find(_host, _port).Select(e => e.KeyType).Distinct().ToArray();

        /// <summary>Throws <see cref="HostKeyRejectedException"/> unless the key is trusted; records it on first use.</summary>
        public void Verify(string keyType, byte[] publicKeyBlob)
        {
            var presented = SshFingerprint.Sha256(publicKeyBlob);
            var where = KnownHostsStore.Key(_host, _port);

            if (!string.IsNullOrWhiteSpace(_options.PinnedFingerprint))
            {
                var pinned = Normalize(_options.PinnedFingerprint!);
                if (string.Equals(pinned, presented, StringComparison.Ordinal)) return;
                throw new HostKeyRejectedException(_host,
                    $"The SSH host key of {where} does not match the fingerprint pinned for this device. Pinned: {pinned}. Presented: {presented} ({keyType}). " +
                    "If the card's key was regenerated on purpose, update the pinned fingerprint for this device; otherwise do not connect: someone may be intercepting the connection.",
                    pinned, presented);
            }

            var entries = _store.Find(_host, _port);
            var sameType = entries.FirstOrDefault(e => e.KeyType == keyType);
            if (sameType != null && string.Equals(sameType.Fingerprint, presented, StringComparison.Ordinal)) return;

            var recorded = sameType ?? entries.FirstOrDefault();
            if (recorded != null)
            {
                throw new HostKeyRejectedException(_host,
                    $"The SSH host key of {where} has CHANGED. On record: {recorded.Fingerprint} ({recorded.KeyType}). Presented now: {presented} ({keyType}). " +
                    "This is expected only if the card's keys were regenerated (factory reset, new card at this address); it may also mean someone is intercepting the connection. " +
                    $"If you trust the new key, remove the entry for {where} from the known-hosts file{(_store.Path != null ? " '" + _store.Path + "'" : "")} or pin the new fingerprint for this device, then connect again.",
                    recorded.Fingerprint, presented);
            }

            if (_options.HostKeyPolicy == HostKeyPolicy.Strict)
            {
                throw new HostKeyRejectedException(_host,
                    $"The SSH host key of {where} is not in the known-hosts store and strict host-key checking is on. Presented: {presented} ({keyType}). " +
                    "Verify this fingerprint on the card (CLI 'ssh' key settings or web UI), then pin it for this device or allow trust on first use.",
                    null, presented);
            }

            _store.Save(_host, _port, keyType, presented);
        }

        private static string Normalize(string fingerprint)
        {
            fingerprint = fingerprint.Trim();
            if (!fingerprint.StartsWith("SHA256:", StringComparison.OrdinalIgnoreCase)) fingerprint = "SHA256:" + fingerprint;
            else fingerprint = "SHA256:" + fingerprint.Substring(7);
            return fingerprint.TrimEnd('=');
        }
    }
}
