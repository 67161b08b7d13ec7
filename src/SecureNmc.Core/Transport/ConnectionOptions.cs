using System;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecureNmc.Core.Transport
{
    /// <summary>
    /// Everything needed to open one session to one card. Timeouts are hard limits per step:
    /// real cards are slow and sometimes never answer, so no step may wait forever.
    /// </summary>
    public sealed class ConnectionOptions
    {
        public string Host { get; set; } = "";
        public int Port { get; set; }
        public NetworkCredential Credential { get; set; } = new NetworkCredential();

        /// <summary>TCP connect plus protocol handshake and login.</summary>
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Longest silence tolerated while a command, reply or data block is awaited.</summary>
        public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Longest time an upload may make no progress (the card stops taking data); null = <see cref="OperationTimeout"/>.
        /// Whatever the limit, an upload that stalls is cancelled promptly by the caller's token.
        /// </summary>
        public TimeSpan? UploadStallTimeout { get; set; }

        public SshClientOptions Ssh { get; set; } = new SshClientOptions();
        public FtpClientOptions Ftp { get; set; } = new FtpClientOptions();

        /// <summary>Never receives passwords, keys or session secrets.</summary>
        public ILogger Logger { get; set; } = NullLogger.Instance;
    }

    public enum HostKeyPolicy
    {
        /// <summary>Trust a card's key the first time it is seen, then insist on it.</summary>
        TrustOnFirstUse = 0,
        /// <summary>Only keys already in the known-hosts store (or pinned) are accepted.</summary>
        Strict = 1,
    }

    public sealed class SshClientOptions
    {
        public HostKeyPolicy HostKeyPolicy { get; set; } = HostKeyPolicy.TrustOnFirstUse;

        /// <summary>"SHA256:..." fingerprint this device must present, overriding the store.</summary>
        public string? PinnedFingerprint { get; set; }

        /// <summary>Path of the known-hosts file (in the data folder); null = no persistence.</summary>
        public string? KnownHostsPath { get; set; }

        /// <summary>Old cards only: ssh-rsa, SHA-1 key exchanges, CBC ciphers, hmac-sha1. Off unless asked for.</summary>
        public bool AllowLegacyAlgorithms { get; set; }
    }

    public enum FtpDataMode
    {
        /// <summary>EPSV, falling back to PASV: what works through most firewalls.</summary>
        Passive = 0,
        /// <summary>EPRT/PORT: the card connects back to us.</summary>
        Active = 1,
    }

    public sealed class FtpClientOptions
    {
        public FtpDataMode DataMode { get; set; } = FtpDataMode.Passive;
    }
}
