using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// A running (or finished) fleet update: its cards' live state, cancellation, and the results.
    /// Runs in this process are listed in <see cref="Active"/> so Stop-NmcFirmwareUpdate can find them.
    /// </summary>
    public sealed class UpdateRun
    {
        private static readonly List<UpdateRun> ActiveRuns = new List<UpdateRun>();
        private readonly IReadOnlyList<CardRunState> _cards;
        private readonly List<CardUpdateResult> _finished = new List<CardUpdateResult>();

        internal UpdateRun(Guid runId, DateTimeOffset started, IReadOnlyList<CardRunState> cards)
        {
            RunId = runId;
            Started = started;
            _cards = cards;
        }

        public Guid RunId { get; }
        public DateTimeOffset Started { get; }
        public IReadOnlyList<CardRunState> Cards => _cards;
        public int Total => _cards.Count;

        /// <summary>Completes with one result per plan, in plan order, when every card has finished.</summary>
        public Task<IReadOnlyList<CardUpdateResult>> Completion { get; internal set; } = Task.FromResult<IReadOnlyList<CardUpdateResult>>(Array.Empty<CardUpdateResult>());

        public static IReadOnlyList<UpdateRun> Active
        {
            get { lock (ActiveRuns) return ActiveRuns.ToList(); }
        }

        /// <summary>
        /// Stop-NmcFirmwareUpdate: cancels the given cards (all when null). Queued and not-yet-uploading
        /// cards stop at once; a card whose upload began is finished safely and listed as not cancelled, with why.
        /// </summary>
        public IReadOnlyList<CardCancellation> RequestCancel(IEnumerable<Guid>? deviceIds = null)
        {
            var wanted = deviceIds == null ? null : new HashSet<Guid>(deviceIds);
            var targets = _cards.Where(c => wanted == null || wanted.Contains(c.DeviceId)).ToList();
            // Queued cards first: cancelling an active card frees its slot, and a queued card whose
            // own cancel has not arrived yet must not slip into that slot and start work.
            var reports = new Dictionary<Guid, CardCancellation>();
            foreach (var card in targets.OrderBy(c => c.Status == DeviceStatus.QueuedForUpdate ? 0 : 1))
                reports[card.DeviceId] = card.RequestCancel();
            return targets.Select(c => reports[c.DeviceId]).ToList();
        }

        /// <summary>Figures for the parent progress bar.</summary>
        public RunProgress GetProgress(DateTimeOffset now, int throttleLimit)
        {
            List<CardUpdateResult> done;
            lock (_finished) done = _finished.ToList();
            var active = _cards.Count(c => !c.IsFinished && c.Status != DeviceStatus.QueuedForUpdate);
            var worked = done.Where(r => r.Outcome == CardOutcome.Updated || r.Outcome == CardOutcome.Failed).ToList();
            TimeSpan? left = null;
            var remaining = Total - done.Count;
            if (worked.Count > 0 && remaining > 0)
            {
                var perCard = TimeSpan.FromTicks((long)worked.Average(r => r.Duration.Ticks));
                var waves = Math.Ceiling(remaining / (double)Math.Max(1, throttleLimit));
                left = TimeSpan.FromTicks((long)(perCard.Ticks * waves));
            }
            return new RunProgress(Total, done.Count, done.Count(r => r.Outcome == CardOutcome.Failed), active, now - Started, left);
        }

        internal void AddFinished(CardUpdateResult result)
        {
            lock (_finished) _finished.Add(result);
        }

        internal void Register()
        {
            lock (ActiveRuns) ActiveRuns.Add(this);
        }

        internal void Unregister()
        {
            lock (ActiveRuns) ActiveRuns.Remove(this);
        }
    }

    public sealed class RunProgress
    {
        public RunProgress(int total, int finished, int failed, int active, TimeSpan elapsed, TimeSpan? estimatedRemaining)
        {
            Total = total;
            Finished = finished;
            Failed = failed;
            Active = active;
            Elapsed = elapsed;
            EstimatedRemaining = estimatedRemaining;
        }

        public int Total { get; }
        public int Finished { get; }
        public int Failed { get; }
        public int Active { get; }
        public TimeSpan Elapsed { get; }

        /// <summary>Average time of the cards worked so far times the waves left; null until one card has been worked.</summary>
        public TimeSpan? EstimatedRemaining { get; }

        public int PercentComplete => Total == 0 ? 100 : (int)(Finished * 100L / Total);
    }
}
