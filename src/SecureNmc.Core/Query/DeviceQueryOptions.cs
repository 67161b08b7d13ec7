using System;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Query
{
    /// <summary>How <see cref="DeviceQueryService"/> talks to cards.</summary>
    public sealed class DeviceQueryOptions
    {
        /// <summary>TCP connect, handshake and login (passed to the transport).</summary>
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Longest silence while a file or command reply is awaited (passed to the transport).</summary>
        public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Hard limit for one whole query. Enforced by the service itself, so a transport that ignores
        /// its own timeouts still cannot hang a refresh (the card is then reported Not Accessible).
        /// </summary>
        public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromMinutes(4);

        /// <summary>Run the CLI <c>about</c> command when the session can (SSH): the only source of model and serial.</summary>
        public bool RunAbout { get; set; } = true;

        /// <summary>Read event.txt (newest "Firmware Updated." event, header facts). Best effort.</summary>
        public bool ReadEventLog { get; set; } = true;

        /// <summary>Read data.txt (the model of the device the card sits in). Best effort.</summary>
        public bool ReadDataLog { get; set; } = true;

        /// <summary>Concurrent queries in a refresh (the SNS Tool's "Number of Concurrent Requests").</summary>
        public int MaxConcurrency { get; set; } = 8;

        public HostKeyPolicy HostKeyPolicy { get; set; } = HostKeyPolicy.TrustOnFirstUse;
        public string? KnownHostsPath { get; set; }

        /// <summary>
        /// Decides the status after a successful query (firmware planning plugs in here). Returning null,
        /// or leaving this unset, applies <see cref="DeviceQueryService.DefaultStatusAfterQuery"/>.
        /// </summary>
        public Func<NmcDevice, CardIdentity, DeviceStatus?>? StatusAfterQuery { get; set; }

        /// <summary>
        /// The log level of "Query of X: Not Accessible (CannotConnect)" lines for failed queries. Warning
        /// by default; the update engine's version reader lowers it, because a restarting card is
        /// expected not to answer and the engine itself reports what the admin must look at.
        /// </summary>
        public LogLevel FailureLogLevel { get; set; } = LogLevel.Warning;

        /// <summary>Never receives passwords.</summary>
        public ILogger Logger { get; set; } = NullLogger.Instance;
    }
}
