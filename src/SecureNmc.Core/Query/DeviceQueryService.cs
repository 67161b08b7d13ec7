using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Query
{
    /// <summary>
    /// The SNS Tool's "Querying" step (Add Devices, Refresh Details): log in with the device's protocol,
    /// read config.ini (plus <c>about</c>, event.txt and data.txt where available), parse, and record
    /// the card's facts and a status with a specific reason on the <see cref="NmcDevice"/>.
    /// One session per card, closed before the next step; never two at once for the same card.
    /// </summary>
    public sealed class DeviceQueryService
    {
        private static readonly DeviceStatus[] PlanningStatuses =
        {
            DeviceStatus.AtCurrentVersion, DeviceStatus.NewerFirmwareInstalled, DeviceStatus.ReadyForUpdate,
            DeviceStatus.ActivateSubscriptionToUpdate, DeviceStatus.FirmwareUnavailable, DeviceStatus.UpdateComplete,
        };

        private readonly Dictionary<TransferProtocol, IFileTransferClient> _clients;
        private readonly DeviceQueryOptions _options;
        private readonly object _progressLock = new object();

        public DeviceQueryService(IEnumerable<IFileTransferClient> clients, DeviceQueryOptions? options = null)
        {
            if (clients == null) throw new ArgumentNullException(nameof(clients));
            _clients = new Dictionary<TransferProtocol, IFileTransferClient>();
            foreach (var c in clients) _clients[c.Protocol] = c;
            _options = options ?? new DeviceQueryOptions();
        }

        public DeviceQueryOptions Options => _options;

        /// <summary>
        /// Raised when a device starts (Result null) and finishes during <see cref="RefreshAsync"/>.
        /// Raised on worker threads, one call at a time.
        /// </summary>
        public event EventHandler<DeviceQueryProgressEventArgs>? ProgressChanged;

        /// <summary>
        /// Queries one card and updates <paramref name="device"/> (facts, LastQueried, Status, StatusDetail).
        /// Never throws for anything the card or network does; only <see cref="OperationCanceledException"/>
        /// when <paramref name="cancellationToken"/> is cancelled (the device's previous status is then restored).
        /// </summary>
        public async Task<DeviceQueryResult> QueryAsync(NmcDevice device, NetworkCredential? credential, CancellationToken cancellationToken = default)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            var clock = Stopwatch.StartNew();
            var previousStatus = device.Status;
            var previousDetail = device.StatusDetail;
            var log = _options.Logger;

            if (credential == null || string.IsNullOrEmpty(credential.UserName))
                return Finish(device, clock, DeviceQueryOutcome.NoCredential, DeviceStatus.IncorrectCredentials,
                    $"No credential is stored for {device.DisplayName}; store the NMC user name and password for this device and query it again.", null, new string[0]);
            if (!_clients.TryGetValue(device.Protocol, out var client))
                return Finish(device, clock, DeviceQueryOutcome.CannotConnect, DeviceStatus.NotAccessible,
                    $"No {QueryFailureText.ProtocolName(device.Protocol)} transport is available in this session, so {device.DisplayName} cannot be reached.", null, new string[0]);

            device.Status = DeviceStatus.Querying;
            device.StatusDetail = null;
            var connection = BuildConnection(device, credential);
            log.LogDebug("Querying {Device} at {Host}:{Port} over {Protocol} as {User}", device.DisplayName, device.Host, device.Port, device.Protocol, credential.UserName);

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var progress = new CardReadout();
            var read = Task.Run(() => CardReadout.ReadAsync(client, connection, _options, progress, deadline.Token), deadline.Token);
            try
            {
                Task first;
                using (var timerStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    first = await Task.WhenAny(read, Task.Delay(_options.QueryTimeout, timerStop.Token)).ConfigureAwait(false);
                    timerStop.Cancel(); // do not leave a timer per device running for the full timeout
                }
                if (first != read)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    deadline.Cancel();
                    Observe(read);
                    return Finish(device, clock, DeviceQueryOutcome.TimedOut, DeviceStatus.NotAccessible,
                        $"Timed out: the query of {device.Host}:{device.Port} ({QueryFailureText.ProtocolName(device.Protocol)}) did not finish within {_options.QueryTimeout.TotalSeconds:0} s (step: {progress.Step}). " +
                        "The card may be very slow, restarting or behind a firewall; try again later or raise the query timeout.", null, new string[0]);
                }
                var readout = await read.ConfigureAwait(false);
                return Interpret(device, clock, readout, previousStatus);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Observe(read);
                device.Status = previousStatus;
                device.StatusDetail = previousDetail;
                throw;
            }
            catch (FileTransferException ex)
            {
                var (outcome, status, detail) = QueryFailureText.Describe(device, credential.UserName, ex, progress.Step);
                return Finish(device, clock, outcome, status, detail, null, new string[0]);
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException)
            {
                // A transport that let a raw network error through, or cancelled itself on its own timeout.
                var timedOut = ex is OperationCanceledException;
                return Finish(device, clock, timedOut ? DeviceQueryOutcome.TimedOut : DeviceQueryOutcome.ConnectionDropped, DeviceStatus.NotAccessible,
                    (timedOut ? $"Timed out talking to {device.Host}:{device.Port}." : $"The connection to {device.Host}:{device.Port} failed: {ex.Message}.") +
                    " Check the network path to the card and try again.", null, new string[0]);
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Query of {Device} failed unexpectedly", device.DisplayName);
                return Finish(device, clock, DeviceQueryOutcome.InternalError, DeviceStatus.Unknown,
                    $"The query of {device.DisplayName} failed inside SecureNmc ({ex.GetType().Name}: {ex.Message}). This is a defect; please report it.", null, new string[0]);
            }
        }

        /// <summary>
        /// Refreshes many devices at once, at most <paramref name="maxConcurrency"/> (default
        /// <see cref="DeviceQueryOptions.MaxConcurrency"/>) at a time, each device once even if listed twice.
        /// Results come back in input order.
        /// </summary>
        public async Task<IReadOnlyList<DeviceQueryResult>> RefreshAsync(IEnumerable<NmcDevice> devices, Func<NmcDevice, NetworkCredential?> credentialFor,
                                                                         int? maxConcurrency = null, CancellationToken cancellationToken = default)
        {
            if (devices == null) throw new ArgumentNullException(nameof(devices));
            if (credentialFor == null) throw new ArgumentNullException(nameof(credentialFor));
            var list = devices.Distinct().ToList();
            int limit = maxConcurrency ?? _options.MaxConcurrency;
            if (limit < 1) throw new ArgumentOutOfRangeException(nameof(maxConcurrency), limit, "The number of concurrent requests must be at least 1.");

            var results = new DeviceQueryResult[list.Count];
            int completed = 0;
            using var gate = new SemaphoreSlim(limit, limit);
            var tasks = list.Select(async (device, index) =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    Report(device, null, ref completed, list.Count);
                    var result = await QueryAsync(device, credentialFor(device), cancellationToken).ConfigureAwait(false);
                    results[index] = result;
                    Report(device, result, ref completed, list.Count);
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(tasks).ConfigureAwait(false);
            return results;
        }

        /// <summary>
        /// The status after a successful query when no planner decided one: a planning status
        /// (At Current Version, Ready for Update...) is kept when the versions did not change; anything
        /// else becomes Unknown until firmware planning sets the update status.
        /// </summary>
        public static DeviceStatus DefaultStatusAfterQuery(DeviceStatus previous, bool versionsChanged) =>
            !versionsChanged && Array.IndexOf(PlanningStatuses, previous) >= 0 ? previous : DeviceStatus.Unknown;

        private DeviceQueryResult Interpret(NmcDevice device, Stopwatch clock, CardReadout readout, DeviceStatus previousStatus)
        {
            var warnings = new List<string>(readout.Warnings);
            ConfigIniDocument config;
            try
            {
                config = ConfigIniParser.Parse(readout.ConfigIni);
            }
            catch (CardFileFormatException ex)
            {
                return Finish(device, clock, DeviceQueryOutcome.Unreadable, DeviceStatus.Unknown,
                    $"The card at {device.Host}:{device.Port} sent a config.ini that could not be understood ({ex.Message}). " +
                    "Check that the address belongs to a Network Management Card; if it does, save its config.ini and report the problem.", null, warnings);
            }
            var about = TryParse(readout.About, "about", t => AboutOutputParser.Parse(t), warnings);
            var banner = readout.Banner == null ? null : TryParse(readout.Banner, "login banner", t => LoginBannerParser.TryParse(t), warnings);
            var events = readout.EventLog == null ? null : TryParse(CardText.Decode(readout.EventLog), "event.txt", CardLogParser.ParseEventLog, warnings);
            var data = readout.DataLog == null ? null : TryParse(CardText.Decode(readout.DataLog), "data.txt", CardLogParser.ParseDataLog, warnings);
            var identity = CardIdentityBuilder.Build(config, about, banner, events, data);

            bool versionsChanged = QueriedFacts.Apply(device, identity);
            device.LastQueried = DateTimeOffset.UtcNow;

            if (identity.Generation != NmcGeneration.Nmc3)
                return Finish(device, clock, DeviceQueryOutcome.NotSupported, DeviceStatus.Unknown,
                    (identity.Generation == NmcGeneration.Nmc2 ? "Not supported: " : "Unrecognised card: ") + identity.UnsupportedReason, identity, warnings);

            // A run's result (Update Complete, Update Error) survives a refresh that finds the same
            // firmware, with the planner's verdict it was recorded with (DeviceStatusResolver shows it
            // until that verdict changes); any other status is decided anew by the planner, when one
            // is plugged in.
            var keepsRunResult = !versionsChanged && (previousStatus == DeviceStatus.UpdateComplete || previousStatus == DeviceStatus.UpdateError);
            var status = keepsRunResult ? previousStatus : _options.StatusAfterQuery?.Invoke(device, identity) ?? DefaultStatusAfterQuery(previousStatus, versionsChanged);
            var basis = keepsRunResult ? device.StatusBasis : null;
            var summary = $"Queried: {identity.Model ?? "NMC3"}, {(identity.ApplicationType?.ToString() ?? identity.ApplicationCode ?? "application")} " +
                          $"{identity.ApplicationVersion ?? "?"} (AOS {identity.AosVersion ?? "?"}" +
                          (identity.BootloaderVersion != null ? $", bootloader {identity.BootloaderVersion}" : "") + ")." +
                          (status == DeviceStatus.Unknown ? " The update status is set when firmware is planned for this device." : "") +
                          (warnings.Count > 0 ? " Partly read: " + string.Join("; ", warnings) : "");
            var success = Finish(device, clock, DeviceQueryOutcome.Success, status, summary, identity, warnings);
            device.StatusBasis = basis;
            return success;
        }

        private static T? TryParse<T>(string? text, string what, Func<string, T?> parse, List<string> warnings) where T : class
        {
            if (text == null) return null;
            try
            {
                return parse(text);
            }
            catch (CardFileFormatException ex)
            {
                warnings.Add($"{what} was not understood: {ex.Message}");
                return null;
            }
        }

        private DeviceQueryResult Finish(NmcDevice device, Stopwatch clock, DeviceQueryOutcome outcome, DeviceStatus status, string? detail,
                                         CardIdentity? identity, IReadOnlyList<string> warnings)
        {
            device.Status = status;
            device.StatusDetail = detail;
            device.StatusBasis = null; // a query's status is never a run result's
            var level = outcome == DeviceQueryOutcome.Success ? LogLevel.Information : _options.FailureLogLevel;
            _options.Logger.Log(level, "Query of {Device}: {Status} ({Outcome})", device.DisplayName, status.ToText(), outcome);
            return new DeviceQueryResult(device, outcome, status, detail, identity, warnings, clock.Elapsed);
        }

        private ConnectionOptions BuildConnection(NmcDevice device, NetworkCredential credential) => new ConnectionOptions
        {
            Host = device.Host,
            Port = device.Port,
            Credential = credential,
            ConnectTimeout = _options.ConnectTimeout,
            OperationTimeout = _options.OperationTimeout,
            Logger = _options.Logger,
            Ssh = new SshClientOptions
            {
                HostKeyPolicy = _options.HostKeyPolicy,
                KnownHostsPath = _options.KnownHostsPath,
                PinnedFingerprint = device.PinnedHostKeyFingerprint,
                AllowLegacyAlgorithms = device.AllowLegacySsh,
            },
        };

        /// <summary>Counts and reports under one lock, so handlers see Completed rise monotonically.</summary>
        private void Report(NmcDevice device, DeviceQueryResult? result, ref int completed, int total)
        {
            lock (_progressLock)
            {
                if (result != null) completed++;
                ProgressChanged?.Invoke(this, new DeviceQueryProgressEventArgs(device, result, completed, total));
            }
        }

        private static void Observe(Task task) =>
            task.ContinueWith(t => { _ = t.Exception; }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
