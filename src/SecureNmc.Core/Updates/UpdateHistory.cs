using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Updates
{
    /// <summary>One card's latest known state in a run, rebuilt from the journal (Get-NmcFirmwareUpdate).</summary>
    public sealed class CardJournalState
    {
        public Guid RunId { get; internal set; }
        public Guid DeviceId { get; internal set; }
        public string DeviceName { get; internal set; } = "";
        public string? Host { get; internal set; }
        public DeviceStatus Status { get; internal set; }
        public string StatusText => Status.ToText();
        public DateTimeOffset Time { get; internal set; }
        public int Attempt { get; internal set; }
        public int Step { get; internal set; }
        public int Steps { get; internal set; }
        public string? From { get; internal set; }
        public string? To { get; internal set; }
        public string? Package { get; internal set; }
        public string? Reached { get; internal set; }
        public string? Detail { get; internal set; }
        public string? BackupPath { get; internal set; }
        public CardOutcome? Outcome { get; internal set; }

        /// <summary>The card's part of the run ended (a result was recorded).</summary>
        public bool Finished { get; internal set; }

        /// <summary>Firmware may have been uploaded and the run stopped before the card was verified.</summary>
        public bool WasMidUpdate => !Finished &&
            (Status == DeviceStatus.UpdatingFirmware || Status == DeviceStatus.RestartingInterface || Status == DeviceStatus.VerifyingUpdate);

        public override string ToString() => $"{DeviceName}: {StatusText}" + (Finished ? "" : " (unfinished)");
    }

    public static class UpdateHistory
    {
        /// <summary>
        /// How many lines of the journal could not be read, not counting a torn last line (what a process
        /// killed mid-write leaves): a number above zero means the file is damaged or not a journal.
        /// </summary>
        public static int DamagedLines(string journalPath)
        {
            UpdateJournal.ReadAll(journalPath, out var unreadable, out var lastTorn);
            return lastTorn ? unreadable - 1 : unreadable;
        }

        /// <summary>Each device's most recent state across all runs in the journal.</summary>
        public static IReadOnlyList<CardJournalState> LatestPerDevice(string journalPath) =>
            Fold(UpdateJournal.ReadAll(journalPath)).Values
                .GroupBy(s => s.DeviceId)
                .Select(g => g.OrderBy(s => s.Time).Last())
                .OrderBy(s => s.DeviceName, StringComparer.OrdinalIgnoreCase).ToList();

        /// <summary>The cards of the newest run in the journal (the current or last run).</summary>
        public static IReadOnlyList<CardJournalState> LastRun(string journalPath)
        {
            var records = UpdateJournal.ReadAll(journalPath);
            var lastRun = records.LastOrDefault(r => r.Kind == JournalRecord.RunStartedKind)?.RunId;
            if (lastRun == null) return Array.Empty<CardJournalState>();
            return Fold(records.Where(r => r.RunId == lastRun)).Values
                .OrderBy(s => s.DeviceName, StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>Per (run, device), the state after applying every record in order.</summary>
        internal static Dictionary<(string Run, Guid Device), CardJournalState> Fold(IEnumerable<JournalRecord> records)
        {
            var states = new Dictionary<(string, Guid), CardJournalState>();
            foreach (var r in records)
            {
                if (r.Kind != JournalRecord.CardKind && r.Kind != JournalRecord.CardFinishedKind) continue;
                if (!Guid.TryParse(r.DeviceId, out var device) || !Guid.TryParse(r.RunId, out var run)) continue;
                var key = (r.RunId, device);
                if (!states.TryGetValue(key, out var s))
                {
                    s = new CardJournalState { RunId = run, DeviceId = device };
                    states[key] = s;
                }
                s.DeviceName = r.DeviceName ?? s.DeviceName;
                s.Host = r.Host ?? s.Host;
                if (DeviceStatusText.TryParse(r.Status, out var status)) s.Status = status;
                if (DateTimeOffset.TryParse(r.Time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) s.Time = time;
                if (r.Attempt > 0) s.Attempt = r.Attempt;
                if (r.Steps > 0) { s.Step = r.Step; s.Steps = r.Steps; }
                // Journals written before versions were shown one way hold "su 2.5.0.6": read as "SU 2.5.0.6".
                s.From = ApplicationVersionText.Normalize(r.From) ?? s.From;
                s.To = ApplicationVersionText.Normalize(r.To) ?? s.To;
                s.Package = r.Package ?? s.Package;
                s.Reached = ApplicationVersionText.Normalize(r.Reached) ?? s.Reached;
                s.BackupPath = r.BackupPath ?? s.BackupPath;
                s.Detail = r.Detail;
                if (r.Kind == JournalRecord.CardFinishedKind)
                {
                    s.Finished = true;
                    if (Enum.TryParse<CardOutcome>(r.Outcome, out var outcome)) s.Outcome = outcome;
                }
            }
            return states;
        }
    }
}
