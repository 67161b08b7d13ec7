using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Reports
{
    /// <summary>
    /// Reads what the report needs from the update journal's records: each card's latest state in any
    /// run, and the newest run with its cards and progress over time (from the records' timestamps).
    /// The states come from <see cref="UpdateHistory"/>'s fold, so they match Get-NmcFirmwareUpdate.
    /// </summary>
    internal sealed class ReportJournal
    {
        private readonly Dictionary<(string Run, Guid Device), CardJournalState> _states;
        private readonly Dictionary<(string Run, Guid Device), long> _durations = new Dictionary<(string, Guid), long>();
        private readonly IReadOnlyList<JournalRecord> _records;

        public ReportJournal(IReadOnlyList<JournalRecord> records)
        {
            _records = records ?? Array.Empty<JournalRecord>();
            _states = UpdateHistory.Fold(_records);
            foreach (var r in _records)
            {
                if (r.Kind == JournalRecord.CardFinishedKind && Guid.TryParse(r.DeviceId, out var device))
                    _durations[(r.RunId, device)] = r.DurationMs;
            }
        }

        /// <summary>Each device's most recent state across all runs.</summary>
        public IReadOnlyDictionary<Guid, ReportRunCard> LatestPerDevice() =>
            _states.GroupBy(s => s.Key.Device)
                .ToDictionary(g => g.Key, g => ToCard(g.OrderBy(s => s.Value.Time).Last()));

        /// <summary>The newest run (the last run-started record), limited to <paramref name="include"/>; null when no run started.</summary>
        public ReportRun? LastRun(Func<Guid, bool> include)
        {
            var started = _records.LastOrDefault(r => r.Kind == JournalRecord.RunStartedKind);
            if (started == null || !Guid.TryParse(started.RunId, out var runId)) return null;
            var finished = _records.LastOrDefault(r => r.Kind == JournalRecord.RunFinishedKind && r.RunId == started.RunId);
            var cards = _states.Where(s => s.Key.Run == started.RunId && include(s.Key.Device))
                .Select(ToCard).OrderBy(c => c.DeviceName, StringComparer.OrdinalIgnoreCase).ToList();
            var start = ParseTime(started.Time) ?? cards.Select(c => c.Time).DefaultIfEmpty().Min();

            var progress = new List<ReportProgressPoint>();
            int done = 0, updated = 0;
            foreach (var card in cards.Where(c => c.Finished).OrderBy(c => c.Time))
            {
                done++;
                if (card.Outcome == nameof(CardOutcome.Updated)) updated++;
                var elapsed = card.Time - start;
                progress.Add(new ReportProgressPoint(elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed, done, updated));
            }
            return new ReportRun
            {
                RunId = runId,
                Started = start,
                Finished = finished == null ? null : ParseTime(finished.Time),
                Cards = cards,
                Progress = progress,
                Updated = cards.Count(c => c.Outcome == nameof(CardOutcome.Updated)),
                Failed = cards.Count(c => c.Outcome == nameof(CardOutcome.Failed)),
                Skipped = cards.Count(c => c.Outcome == nameof(CardOutcome.Skipped)),
                Cancelled = cards.Count(c => c.Outcome == nameof(CardOutcome.Cancelled)),
                Unfinished = cards.Count(c => !c.Finished),
            };
        }

        private ReportRunCard ToCard(KeyValuePair<(string Run, Guid Device), CardJournalState> entry)
        {
            var s = entry.Value;
            return new ReportRunCard
            {
                RunId = s.RunId,
                DeviceId = s.DeviceId,
                DeviceName = s.DeviceName,
                From = s.From,
                To = s.To,
                Reached = s.Reached,
                Status = s.StatusText,
                Outcome = s.Outcome?.ToString(),
                Attempts = s.Attempt,
                Duration = _durations.TryGetValue(entry.Key, out var ms) ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null,
                // A finished card's detail is its error (the engine writes result.Error there).
                Error = s.Finished && s.Outcome != CardOutcome.Updated ? s.Detail : null,
                Time = s.Time,
                Finished = s.Finished,
            };
        }

        private static DateTimeOffset? ParseTime(string? text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;
    }
}
