using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SecureNmc.Core.Json;

namespace SecureNmc.Core.Reports
{
    /// <summary>The report's data as JSON for dashboards: the same counts, cards, run and actions as the HTML page.</summary>
    public static class FleetReportJsonWriter
    {
        public const string FormatName = "snmc-fleet-report/1";

        public static string Write(FleetReport r)
        {
            if (r == null) throw new ArgumentNullException(nameof(r));
            var summary = new JsonObject()
                .Set("cards", r.DeviceCount)
                .Set("byStatus", Counts(r.ByStatus))
                .Set("byApplicationType", Counts(r.ByApplicationType))
                .Set("byFirmware", Counts(r.ByFirmware))
                .Set("latestPerType", Counts(r.LatestPerType))
                .Set("comparableWithLatest", r.ComparableWithLatest)
                .Set("onLatest", r.OnLatest)
                .Set("onLatestShare", r.OnLatestShare.HasValue ? new JsonNumber(r.OnLatestShare.Value.ToString("0.####", CultureInfo.InvariantCulture)) : (JsonValue)JsonNull.Instance)
                .Set("subscriptions", new JsonObject()
                    .Set("valid", r.SubscriptionsValid).Set("expiringSoon", r.SubscriptionsExpiringSoon)
                    .Set("expired", r.SubscriptionsExpired).Set("none", r.SubscriptionsNone).Set("note", r.SubscriptionNote))
                .Set("needingAction", r.Actions.Count);
            var document = new JsonObject()
                .Set("format", FormatName)
                .Set("generatedAt", Instant(r.GeneratedAt))
                .Set("summary", summary)
                .Set("cards", new JsonArray(r.Cards.Select(Card)))
                .Set("lastRun", r.LastRun == null ? JsonNull.Instance : Run(r.LastRun))
                .Set("actions", new JsonArray(r.Actions.Select(a => (JsonValue)new JsonObject()
                    .Set("card", a.DeviceName).Set("host", a.Host).Set("problem", a.Problem).Set("guidance", a.Guidance).Set("detail", a.Detail))));
            return JsonWriter.Write(document, indented: true) + "\n";
        }

        private static JsonValue Card(ReportCard c)
        {
            var s = c.Subscription;
            return new JsonObject()
                .Set("name", c.Name).Set("host", c.Host).Set("model", c.Model).Set("serialNumber", c.SerialNumber)
                .Set("applicationType", c.ApplicationType).Set("applicationVersion", c.ApplicationVersion).Set("aosVersion", c.AosVersion)
                .Set("status", c.Status).Set("statusDetail", c.StatusDetail).Set("outsideSecureNmc", c.OutsideSecureNmc)
                .Set("latestVersion", c.LatestVersion).Set("onLatest", c.OnLatest.HasValue ? JsonBool.Of(c.OnLatest.Value) : (JsonValue)JsonNull.Instance)
                .Set("subscription", s == null ? JsonNull.Instance : new JsonObject()
                    .Set("state", s.State).Set("kind", s.Kind).Set("partNumber", s.PartNumber).Set("activationIdEnding", s.ActivationIdEnding)
                    .Set("activatedOn", Day(s.ActivatedOn)).Set("expiresOn", Day(s.ExpiresOn))
                    .Set("daysLeft", s.DaysLeft.HasValue ? new JsonNumber(s.DaysLeft.Value) : (JsonValue)JsonNull.Instance).Set("problem", s.Problem))
                .Set("latestUpdate", c.LatestUpdate == null ? JsonNull.Instance : RunCard(c.LatestUpdate));
        }

        private static JsonValue Run(ReportRun run) => new JsonObject()
            .Set("runId", run.RunId.ToString("D")).Set("started", Instant(run.Started))
            .Set("finished", run.Finished.HasValue ? Instant(run.Finished.Value) : null)
            .Set("updated", run.Updated).Set("failed", run.Failed).Set("skipped", run.Skipped).Set("cancelled", run.Cancelled).Set("unfinished", run.Unfinished)
            .Set("cards", new JsonArray(run.Cards.Select(RunCard)))
            .Set("progress", new JsonArray(run.Progress.Select(p => (JsonValue)new JsonObject()
                .Set("elapsedMs", (long)p.Elapsed.TotalMilliseconds).Set("finished", p.Finished).Set("updated", p.Updated))));

        private static JsonValue RunCard(ReportRunCard c) => new JsonObject()
            .Set("card", c.DeviceName).Set("runId", c.RunId.ToString("D")).Set("from", c.From).Set("to", c.To).Set("reached", c.Reached)
            .Set("status", c.Status).Set("outcome", c.Outcome).Set("attempts", c.Attempts)
            .Set("durationMs", c.Duration.HasValue ? new JsonNumber((long)c.Duration.Value.TotalMilliseconds) : (JsonValue)JsonNull.Instance)
            .Set("error", c.Error).Set("time", Instant(c.Time)).Set("finished", c.Finished);

        private static JsonArray Counts(IEnumerable<ReportCount> counts) =>
            new JsonArray(counts.Select(c => (JsonValue)new JsonObject().Set("label", c.Label).Set("count", c.Count)));

        private static string Instant(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        private static string? Day(DateTime? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
