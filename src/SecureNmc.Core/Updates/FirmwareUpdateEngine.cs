using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// Runs update plans across a fleet: bounded concurrency, one connection per card at a time,
    /// the seed's statuses in order, retries with back-off, safe cancellation, and a crash-safe
    /// journal that lets a later run resume. Knows nothing of PowerShell: events go to an
    /// <see cref="IUpdateObserver"/> the pipeline thread drains.
    /// </summary>
    public sealed class FirmwareUpdateEngine
    {
        private static readonly ConcurrentDictionary<string, Guid> CardsInWork = new ConcurrentDictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);

        private readonly IDeviceSessionFactory _sessions;
        private readonly IDeviceVersionReader _versions;
        private readonly IFirmwareSource _firmware;
        private readonly UpdateEngineOptions _options;
        private readonly IUpdateClock _clock;

        public FirmwareUpdateEngine(IDeviceSessionFactory sessions, IDeviceVersionReader versions, IFirmwareSource firmware, UpdateEngineOptions options, IUpdateClock? clock = null)
        {
            _sessions = sessions ?? throw new ArgumentNullException(nameof(sessions));
            _versions = versions ?? throw new ArgumentNullException(nameof(versions));
            _firmware = firmware ?? throw new ArgumentNullException(nameof(firmware));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _options.Validate();
            _clock = clock ?? SystemUpdateClock.Instance;
        }

        public UpdateEngineOptions Options => _options;

        /// <summary>
        /// True while a run in this process is working on the card (host and port): other features
        /// (a device refresh) should leave it alone, since cards allow one session at a time.
        /// </summary>
        public static bool IsBeingUpdated(NmcDevice device) => CardsInWork.ContainsKey(HostKey(device));

        /// <summary>Runs the plans and returns the results (convenience over <see cref="Start"/>).</summary>
        public Task<IReadOnlyList<CardUpdateResult>> RunAsync(IReadOnlyList<UpdatePlan> plans, IUpdateObserver? observer = null, CancellationToken abort = default) =>
            Start(plans, observer, abort).Completion;

        /// <summary>
        /// Starts the run and returns at once. Plans that are not actionable (At Current Version,
        /// Firmware Unavailable...) finish immediately as Skipped. <paramref name="abort"/> is for
        /// shutting the process down: it interrupts even uploads. Ctrl+C / Stop-NmcFirmwareUpdate must use
        /// <see cref="UpdateRun.RequestCancel"/>, which never interrupts a card past the point of no return.
        /// </summary>
        public UpdateRun Start(IReadOnlyList<UpdatePlan> plans, IUpdateObserver? observer = null, CancellationToken abort = default)
        {
            if (plans == null) throw new ArgumentNullException(nameof(plans));
            RefuseDuplicates(plans);

            var runId = Guid.NewGuid();
            // The journal (and with it the data folder's run lock) first: another process's run must be
            // refused before its unfinished records are read as this run's history.
            var journal = _options.JournalPath != null ? UpdateJournal.Acquire(_options.JournalPath, _options.DurableJournal) : null;
            var previous = ReadPreviousStates();
            var cards = plans.Select(p => new CardRunState(p, abort)).ToList();
            var run = new UpdateRun(runId, _clock.UtcNow, cards);
            var context = new RunContext(this, run, journal, observer, previous, abort);
            run.Register();
            journal?.Append(new JournalRecord { Time = Stamp(run.Started), RunId = runId.ToString(), Kind = JournalRecord.RunStartedKind, Cards = plans.Count }, forceToDisk: true);
            foreach (var card in cards.Where(c => c.Plan.IsActionable)) context.SetStatus(card, DeviceStatus.QueuedForUpdate, null);

            run.Completion = Task.Run(async () =>
            {
                try
                {
                    var results = await Task.WhenAll(cards.Select(c => Task.Run(() => new CardUpdateJob(context, c).RunAsync()))).ConfigureAwait(false);
                    journal?.Append(new JournalRecord { Time = Stamp(_clock.UtcNow), RunId = runId.ToString(), Kind = JournalRecord.RunFinishedKind, Cards = results.Length });
                    observer?.OnEvent(new RunFinished(runId, _clock.UtcNow, results));
                    return (IReadOnlyList<CardUpdateResult>)results;
                }
                finally
                {
                    run.Unregister();
                    foreach (var c in cards) c.Dispose();
                    if (journal != null) UpdateJournal.Release(journal);
                    context.Dispose();
                }
            });
            return run;
        }

        private Dictionary<Guid, CardJournalState> ReadPreviousStates()
        {
            if (_options.JournalPath == null || !System.IO.File.Exists(_options.JournalPath)) return new Dictionary<Guid, CardJournalState>();
            return UpdateHistory.LatestPerDevice(_options.JournalPath).ToDictionary(s => s.DeviceId);
        }

        private static void RefuseDuplicates(IReadOnlyList<UpdatePlan> plans)
        {
            var sameId = plans.GroupBy(p => p.DeviceId).Where(g => g.Count() > 1).Select(g => g.First().DeviceName).ToList();
            var sameHost = plans.GroupBy(p => HostKey(p.Device)).Where(g => g.Count() > 1)
                .Select(g => string.Join(" and ", g.Select(p => p.DeviceName)) + $" ({g.Key})").ToList();
            if (sameId.Count > 0 || sameHost.Count > 0)
                throw new ArgumentException("Each card may appear once in an update run (one connection per card): " +
                    string.Join("; ", sameId.Select(n => $"{n} is listed twice").Concat(sameHost.Select(h => $"{h} are the same card"))) + ".");
        }

        internal static string HostKey(NmcDevice d) => d.Host.Trim().ToLowerInvariant() + ":" + d.Port.ToString(CultureInfo.InvariantCulture);

        internal static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);

        /// <summary>What every card job of one run shares.</summary>
        internal sealed class RunContext : IDisposable
        {
            private readonly UpdateJournal? _journal;
            private readonly IUpdateObserver? _observer;
            private readonly Dictionary<Guid, CardJournalState> _previous;

            public RunContext(FirmwareUpdateEngine engine, UpdateRun run, UpdateJournal? journal, IUpdateObserver? observer, Dictionary<Guid, CardJournalState> previous, CancellationToken abort)
            {
                Engine = engine;
                Run = run;
                _journal = journal;
                _observer = observer;
                _previous = previous;
                Abort = abort;
                Throttle = new SemaphoreSlim(engine._options.ThrottleLimit, engine._options.ThrottleLimit);
                Waiter = new RestartWaiter(engine._versions, engine._clock, engine._options);
            }

            public FirmwareUpdateEngine Engine { get; }
            public UpdateRun Run { get; }
            public CancellationToken Abort { get; }
            public SemaphoreSlim Throttle { get; }
            public RestartWaiter Waiter { get; }
            public IDeviceSessionFactory Sessions => Engine._sessions;
            public IDeviceVersionReader Versions => Engine._versions;
            public IFirmwareSource Firmware => Engine._firmware;
            public UpdateEngineOptions Options => Engine._options;
            public IUpdateClock Clock => Engine._clock;
            public ILogger Logger => Engine._options.Logger;

            public CardJournalState? PreviousState(Guid device) => _previous.TryGetValue(device, out var s) ? s : null;

            public bool TryClaim(NmcDevice device, out Guid otherRun)
            {
                var key = HostKey(device);
                otherRun = CardsInWork.GetOrAdd(key, Run.RunId);
                return otherRun == Run.RunId;
            }

            public void ReleaseClaim(NmcDevice device) =>
                ((ICollection<KeyValuePair<string, Guid>>)CardsInWork).Remove(new KeyValuePair<string, Guid>(HostKey(device), Run.RunId));

            /// <summary>Records a status change (handed to the OS before returning) and tells the observer.</summary>
            public void SetStatus(CardRunState card, DeviceStatus status, string? detail)
            {
                var now = Clock.UtcNow;
                _journal?.Append(StatusRecord(card, status, detail, now));
                Announce(card, status, detail, now);
            }

            /// <summary>
            /// As <see cref="SetStatus"/>, but completes only once the record is on disk (durable
            /// journal): used for the status resume depends on even after a power loss.
            /// </summary>
            public async Task SetStatusDurablyAsync(CardRunState card, DeviceStatus status, string? detail)
            {
                var now = Clock.UtcNow;
                if (_journal != null) await _journal.AppendDurableAsync(StatusRecord(card, status, detail, now)).ConfigureAwait(false);
                Announce(card, status, detail, now);
            }

            private JournalRecord StatusRecord(CardRunState card, DeviceStatus status, string? detail, DateTimeOffset now)
            {
                card.Status = status;
                var plan = card.Plan;
                var step = plan.Steps.Count > 0 ? plan.Steps[Math.Min(card.StepIndex, plan.Steps.Count - 1)] : null;
                return new JournalRecord
                {
                    Time = Stamp(now),
                    RunId = Run.RunId.ToString(),
                    Kind = JournalRecord.CardKind,
                    DeviceId = plan.DeviceId.ToString(),
                    DeviceName = plan.DeviceName,
                    Host = plan.Device.Host,
                    Status = status.ToString(),
                    Attempt = card.Attempt,
                    Step = card.StepIndex + 1,
                    Steps = plan.Steps.Count,
                    From = Describe(plan.FromApplicationType, plan.FromVersion),
                    To = Describe(plan.ToApplicationType, plan.ToVersion),
                    Package = step?.Package.FileName,
                    Detail = detail,
                };
            }

            private void Announce(CardRunState card, DeviceStatus status, string? detail, DateTimeOffset now)
            {
                var plan = card.Plan;
                Logger.LogInformation("{Device}: {Status}{Detail}", plan.DeviceName, status.ToText(), detail != null ? " - " + detail : "");
                _observer?.OnEvent(new CardStatusChanged(Run.RunId, now, plan.DeviceId, plan.DeviceName, status, card.Attempt, card.StepIndex, plan.Steps.Count, detail));
            }

            public void ReportBytes(CardRunState card, string fileName, long bytes, long total)
            {
                card.BytesSent = bytes;
                card.BytesTotal = total;
                _observer?.OnEvent(new CardTransferProgress(Run.RunId, Clock.UtcNow, card.DeviceId, card.DeviceName, fileName, bytes, total));
            }

            /// <summary>Records a card's result durably, then marks it finished and tells the observer.</summary>
            public async Task<CardUpdateResult> FinishAsync(CardRunState card, CardUpdateResult result)
            {
                card.Status = result.Status;
                card.MarkFinished();
                var record = new JournalRecord
                {
                    Time = Stamp(Clock.UtcNow),
                    RunId = Run.RunId.ToString(),
                    Kind = JournalRecord.CardFinishedKind,
                    DeviceId = result.DeviceId.ToString(),
                    DeviceName = result.DeviceName,
                    Host = result.Host,
                    Status = result.Status.ToString(),
                    Attempt = result.Attempts,
                    Step = result.StepsCompleted,
                    Steps = result.StepCount,
                    From = Describe(result.FromApplicationType, result.FromVersion),
                    To = Describe(result.ToApplicationType, result.ToVersion),
                    Reached = Describe(result.ReachedApplicationType, result.ReachedVersion),
                    Outcome = result.Outcome.ToString(),
                    BackupPath = result.BackupPath,
                    Detail = result.Error,
                    DurationMs = (long)result.Duration.TotalMilliseconds,
                };
                if (_journal != null) await _journal.AppendDurableAsync(record).ConfigureAwait(false);
                Run.AddFinished(result);
                _observer?.OnEvent(new CardFinished(Run.RunId, Clock.UtcNow, result));
                return result;
            }

            internal static string? Describe(ApplicationType? app, FirmwareVersion? version) =>
                ApplicationVersionText.Format(app, version);

            public void Dispose() => Throttle.Dispose();
        }
    }
}
