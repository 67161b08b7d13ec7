using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Ftp;
using SecureNmc.Core.Query;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Transport;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of the cmdlets that query cards (Add-NmcDevice, Update-NmcDevice): runs Core's
    /// <see cref="DeviceQueryService"/> over many devices at once, within the ConcurrentRequests
    /// setting, while the pipeline thread writes a parent progress bar plus one child bar per card in
    /// flight. Worker threads only enqueue progress and log records; every Write* happens here.
    /// </summary>
    public abstract class NmcQueryCmdlet : NmcCmdlet
    {
        private const int ParentActivityId = 1;

        /// <summary>
        /// Queries <paramref name="devices"/> (updating each record in place) and returns the results in
        /// input order. <paramref name="credentials"/> holds each device's credential (null: none stored).
        /// </summary>
        internal IReadOnlyList<DeviceQueryResult> QueryDevices(IReadOnlyList<NmcDevice> devices, IReadOnlyDictionary<NmcDevice, NetworkCredential?> credentials, string activity)
        {
            if (devices.Count == 0) return new DeviceQueryResult[0];
            var settings = UsingStore(() => Services.Settings.Load());
            var limit = settings.ConcurrentRequests;
            var knownHosts = UsingStore(() => { Services.DataFolder.EnsureExists(); return Services.DataFolder.KnownHostsFile; });

            foreach (var ftp in devices.Where(d => d.Protocol == TransferProtocol.Ftp))
                WriteWarning($"{DeviceParameters.Describe(ftp)}: {FtpSecurityNotice.ClearTextPasswordWarning}");

            var statuses = CreateStatusResolver();
            var service = new DeviceQueryService(new IFileTransferClient[] { new ScpFileTransferClient(), new FtpFileTransferClient() }, new DeviceQueryOptions
            {
                KnownHostsPath = knownHosts,
                MaxConcurrency = limit,
                // A queried card gets the planner's status at once (Ready for Update, At Current Version...),
                // not Unknown until an update runs. Called on worker threads: the planner only reads.
                StatusAfterQuery = statuses == null ? null : (Func<NmcDevice, Core.CardFiles.CardIdentity, DeviceStatus?>)((device, _) => statuses.StatusAfterQuery(device)),
                // The cmdlet reports every outcome itself (object, error or warning): Core's per-card
                // warnings would only repeat them, so they go to -Verbose.
                Logger = new WarningsAsVerbose(CreateLogger("SecureNmc.Query")),
            }.ApplyTimeouts(settings));
            var events = new ConcurrentQueue<DeviceQueryProgressEventArgs>();
            service.ProgressChanged += (_, e) => events.Enqueue(e);

            WriteVerbose($"Querying {devices.Count} card(s), at most {limit} at a time.");
            var progress = new QueryProgress(this, activity, devices.Count);
            var work = service.RefreshAsync(devices, d => credentials.TryGetValue(d, out var c) ? c : null, limit, CancellationToken);
            try
            {
                while (!work.Wait(TimeSpan.FromMilliseconds(100)))
                {
                    progress.Show(events);
                    DrainLog();
                }
            }
            catch (AggregateException) { /* observed below through GetResult */ }
            progress.Show(events);
            DrainLog();
            try
            {
                return work.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                progress.Complete();
            }
        }

        /// <summary>The update planner's statuses for queried cards; null (with a warning) when the firmware library cannot be read.</summary>
        private Core.Updates.DeviceStatusResolver? CreateStatusResolver()
        {
            try
            {
                var firmware = new FirmwareServices(Services, LoggerFactory);
                return new Core.Updates.DeviceStatusResolver(firmware.CreatePlanner(firmware.CreateLibrary(), out _));
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is System.Runtime.Serialization.SerializationException || ex is InvalidOperationException || ex is System.IO.InvalidDataException)
            {
                WriteWarning("Queried cards get no update status (Unknown): the firmware library could not be read (" + ex.Message + ").");
                return null;
            }
        }

        /// <summary>The seed's status wording and the specific reason, for messages.</summary>
        internal static string Explain(DeviceQueryResult result) =>
            $"{result.Status.ToText()}: {result.Detail}";

        /// <summary>The error category a failed query belongs to.</summary>
        internal static ErrorCategory CategoryOf(DeviceQueryOutcome outcome)
        {
            switch (outcome)
            {
                case DeviceQueryOutcome.NoCredential:
                case DeviceQueryOutcome.BadCredentials:
                case DeviceQueryOutcome.MultiFactorRequired:
                case DeviceQueryOutcome.PasswordChangeRequired:
                    return ErrorCategory.AuthenticationError;
                case DeviceQueryOutcome.InsufficientRights:
                    return ErrorCategory.PermissionDenied;
                case DeviceQueryOutcome.TimedOut:
                    return ErrorCategory.OperationTimeout;
                case DeviceQueryOutcome.HostKeyRejected:
                    return ErrorCategory.SecurityError;
                case DeviceQueryOutcome.SessionLimitReached:
                    return ErrorCategory.ResourceBusy;
                case DeviceQueryOutcome.CannotConnect:
                case DeviceQueryOutcome.ConnectionDropped:
                case DeviceQueryOutcome.ProtocolError:
                    return ErrorCategory.ConnectionError;
                case DeviceQueryOutcome.NotSupported:
                    return ErrorCategory.NotImplemented;
                case DeviceQueryOutcome.Unreadable:
                    return ErrorCategory.InvalidData;
                default:
                    return ErrorCategory.NotSpecified;
            }
        }

        /// <summary>Parent bar for the whole run, one child bar per card being queried (ids reused as cards finish).</summary>
        private sealed class QueryProgress
        {
            private readonly Cmdlet _cmdlet;
            private readonly string _activity;
            private readonly int _total;
            private readonly Dictionary<NmcDevice, int> _childIds = new Dictionary<NmcDevice, int>();
            private readonly Stack<int> _freeIds = new Stack<int>();
            private int _nextId = ParentActivityId + 1;

            public QueryProgress(Cmdlet cmdlet, string activity, int total)
            {
                _cmdlet = cmdlet;
                _activity = activity;
                _total = total;
                _cmdlet.WriteProgress(new ProgressRecord(ParentActivityId, activity, $"0 of {total} card(s) queried") { PercentComplete = 0 });
            }

            public void Show(ConcurrentQueue<DeviceQueryProgressEventArgs> events)
            {
                while (events.TryDequeue(out var e))
                {
                    if (e.Result == null) Started(e.Device);
                    else Finished(e);
                }
            }

            private void Started(NmcDevice device)
            {
                var id = _freeIds.Count > 0 ? _freeIds.Pop() : _nextId++;
                _childIds[device] = id;
                _cmdlet.WriteProgress(new ProgressRecord(id, device.DisplayName, $"{DeviceStatus.Querying.ToText()} {device.Host}:{device.Port} ({TransferProtocolNames.ToText(device.Protocol)})")
                {
                    ParentActivityId = ParentActivityId,
                });
            }

            private void Finished(DeviceQueryProgressEventArgs e)
            {
                if (_childIds.TryGetValue(e.Device, out var id))
                {
                    _childIds.Remove(e.Device);
                    _freeIds.Push(id);
                    _cmdlet.WriteProgress(new ProgressRecord(id, e.Device.DisplayName, e.Result!.Status.ToText())
                    {
                        ParentActivityId = ParentActivityId,
                        RecordType = ProgressRecordType.Completed,
                    });
                }
                _cmdlet.WriteProgress(new ProgressRecord(ParentActivityId, _activity, $"{e.Completed} of {e.Total} card(s) queried")
                {
                    PercentComplete = e.PercentComplete,
                    CurrentOperation = $"{e.Device.DisplayName}: {e.Result!.Status.ToText()}",
                });
            }

            public void Complete()
            {
                foreach (var pair in _childIds)
                    _cmdlet.WriteProgress(new ProgressRecord(pair.Value, pair.Key.DisplayName, "Stopped") { ParentActivityId = ParentActivityId, RecordType = ProgressRecordType.Completed });
                _childIds.Clear();
                _cmdlet.WriteProgress(new ProgressRecord(ParentActivityId, _activity, $"{_total} card(s)") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>Turns Core's warnings into verbose lines (the cmdlet reports each outcome itself).</summary>
        private sealed class WarningsAsVerbose : ILogger
        {
            private readonly ILogger _inner;

            public WarningsAsVerbose(ILogger inner) => _inner = inner;

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _inner.BeginScope(state);

            public bool IsEnabled(LogLevel logLevel) => _inner.IsEnabled(logLevel == LogLevel.Warning ? LogLevel.Information : logLevel);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                _inner.Log(logLevel == LogLevel.Warning ? LogLevel.Information : logLevel, eventId, state, exception, formatter);
        }
    }
}
