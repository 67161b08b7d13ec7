using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CsvHelper;
using SecureNmc.Core.Csv;
using SecureNmc.Core.DataExchange;

namespace SecureNmc.Core.Reports
{
    /// <summary>
    /// The report as a spreadsheet: one row per card with its firmware, latest version, status,
    /// subscription, latest update and the action it needs. Every cell is neutralised against formula
    /// injection (<see cref="SpreadsheetSafety"/>), as Export-NmcBundle -Format Csv does.
    /// </summary>
    public static class FleetReportCsvWriter
    {
        public static IReadOnlyList<string> Columns { get; } = new[]
        {
            "Name", "Host", "Model", "SerialNumber", "ApplicationType", "ApplicationVersion", "LatestVersion", "OnLatest",
            "Status", "SubscriptionState", "SubscriptionExpiresOn", "SubscriptionDaysLeft", "ActivationIdEnding",
            "LastUpdateFrom", "LastUpdateTo", "LastUpdateStatus", "LastUpdateOutcome", "LastUpdateAttempts", "LastUpdateSeconds", "LastUpdateError",
            "NeedsAction", "Guidance",
        };

        public static void Write(TextWriter writer, FleetReport report)
        {
            var actions = new Dictionary<string, ReportAction>();
            foreach (var a in report.Actions) actions[a.DeviceName + "\n" + a.Host] = a;
            var options = new CsvWriterOptions().Set(nameof(CsvWriterOptions.NewLine), "\r\n"); // see CsvOptionSetter
            using (var csv = CsvWriter.Create(writer, options, leaveOpen: true))
            {
                foreach (var column in Columns) csv.WriteField(column);
                csv.EndRecord();
                foreach (var c in report.Cards)
                {
                    actions.TryGetValue(c.Name + "\n" + c.Host, out var action);
                    foreach (var cell in Cells(c, action)) csv.WriteField(SpreadsheetSafety.Neutralize(cell));
                    csv.EndRecord();
                }
                csv.Flush();
            }
        }

        private static IEnumerable<string?> Cells(ReportCard c, ReportAction? action)
        {
            var s = c.Subscription;
            var u = c.LatestUpdate;
            return new[]
            {
                c.Name, c.Host, c.Model, c.SerialNumber, c.OutsideSecureNmc ? "NMC2" : c.ApplicationType, c.ApplicationVersion, c.LatestVersion,
                c.OnLatest.HasValue ? (c.OnLatest.Value ? "Yes" : "No") : "",
                c.Status, s?.State, s?.ExpiresOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s?.DaysLeft?.ToString(CultureInfo.InvariantCulture),
                s?.ActivationIdEnding,
                u?.From, u?.To, u?.Status, u?.Outcome, u?.Attempts.ToString(CultureInfo.InvariantCulture),
                u?.Duration?.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture), u?.Error,
                action?.Problem, action?.Guidance,
            };
        }
    }
}
