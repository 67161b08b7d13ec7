using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Simulator.Ssh.Algorithms;

namespace SecureNmc.Simulator.Ssh.Transport
{
    public enum SshRole
    {
        Client,
        Server,
    }

    /// <summary>How one SSH transport connection behaves (both roles).</summary>
    public sealed class SshTransportSettings
    {
        public SshRole Role { get; set; }

        /// <summary>"host:port" of the peer, used in error messages and logs.</summary>
        public string PeerName { get; set; } = "";

        /// <summary>Identification exchange plus the first key exchange.</summary>
        public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Longest a started packet may take to arrive completely, and each write.</summary>
        public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Offer ssh-rsa (SHA-1), SHA-1 key exchanges, CBC ciphers and hmac-sha1 too (old cards only).</summary>
        public bool AllowLegacyAlgorithms { get; set; }

        /// <summary>Restrict or reorder the offer (names from the catalog). Null = the catalog's default order.</summary>
        public IReadOnlyList<string>? KeyExchangeAlgorithms { get; set; }
        public IReadOnlyList<string>? HostKeyAlgorithms { get; set; }
        public IReadOnlyList<string>? Ciphers { get; set; }
        public IReadOnlyList<string>? Macs { get; set; }

        /// <summary>Client role: key types the trust store already knows for this host, moved to the front of the offer.</summary>
        public IReadOnlyList<string>? PreferredHostKeyTypes { get; set; }

        /// <summary>
        /// Client role: called with the host key type (e.g. "ssh-rsa") and the server's public key blob once
        /// its signature has been verified. Throw (e.g. HostKeyRejectedException) to refuse the key.
        /// </summary>
        public Action<string, byte[]>? HostKeyVerifier { get; set; }

        /// <summary>Server role: the host keys to sign with (one per key type).</summary>
        public IReadOnlyList<IHostKey> HostKeys { get; set; } = Array.Empty<IHostKey>();

        /// <summary>Rekey after this many bytes in either direction (RFC 4253 §9 recommends 1 GiB).</summary>
        public long RekeyAfterBytes { get; set; } = 1L << 30;

        /// <summary>Rekey after this much time (RFC 4253 §9 recommends one hour).</summary>
        public TimeSpan RekeyAfterTime { get; set; } = TimeSpan.FromHours(1);

        /// <summary>Software version in our identification line "SSH-2.0-&lt;this&gt;".</summary>
        public string SoftwareVersion { get; set; } = "SecureNmc_0.1";

        public ILogger Logger { get; set; } = NullLogger.Instance;
    }
}
