using System;
using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Simulator.Ssh.Algorithms;

namespace SecureNmc.Simulator.Ssh.Server
{
    /// <summary>Everything the SSH server role needs (the card simulator fills this in).</summary>
    public sealed class SshServerOptions
    {
        /// <summary>Where to listen; loopback by default.</summary>
        public IPEndPoint EndPoint { get; set; } = new IPEndPoint(IPAddress.Loopback, 0);

        /// <summary>Host keys, one per key type; the server offers every signature algorithm they support.</summary>
        public IReadOnlyList<IHostKey> HostKeys { get; set; } = Array.Empty<IHostKey>();

        /// <summary>Decides every password / keyboard-interactive login. Required.</summary>
        public Func<SshPasswordCheckContext, Task<SshPasswordCheckResult>> PasswordCheck { get; set; } =
            _ => Task.FromResult(SshPasswordCheckResult.Reject());

        /// <summary>Runs an exec request (e.g. "scp -q -t file", "about"). Required for anything useful.</summary>
        public Func<SshExecContext, Task<int>>? ExecHandler { get; set; }

        /// <summary>Login methods offered: "password" and/or "keyboard-interactive" (both by default).</summary>
        public IReadOnlyList<string> AuthenticationMethods { get; set; } = new[] { "password", "keyboard-interactive" };

        /// <summary>Text sent as SSH_MSG_USERAUTH_BANNER before login, if any.</summary>
        public string? Banner { get; set; }

        /// <summary>Also offer ssh-rsa (SHA-1), SHA-1 key exchanges, CBC ciphers and hmac-sha1.</summary>
        public bool AllowLegacyAlgorithms { get; set; }

        /// <summary>Restrict the offer (tests, or a simulator mimicking an old card). Null = <see cref="SshServerDefaults"/>.</summary>
        public IReadOnlyList<string>? KeyExchangeAlgorithms { get; set; }
        public IReadOnlyList<string>? HostKeyAlgorithms { get; set; }
        public IReadOnlyList<string>? Ciphers { get; set; }
        public IReadOnlyList<string>? Macs { get; set; }

        /// <summary>Software version after "SSH-2.0-".</summary>
        public string SoftwareVersion { get; set; } = "SecureNmc_0.1";

        /// <summary>Handshake plus login must finish within this.</summary>
        public TimeSpan LoginGraceTime { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Longest wait for the rest of a started packet, a write, or exec stdin data.</summary>
        public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(60);

        public int MaxAuthAttempts { get; set; } = 6;

        /// <summary>Concurrent connections accepted; more are refused at once.</summary>
        public int MaxConnections { get; set; } = 32;

        /// <summary>Rekey thresholds (RFC 4253 §9).</summary>
        public long RekeyAfterBytes { get; set; } = 1L << 30;
        public TimeSpan RekeyAfterTime { get; set; } = TimeSpan.FromHours(1);

        public ILogger Logger { get; set; } = NullLogger.Instance;
    }
}
