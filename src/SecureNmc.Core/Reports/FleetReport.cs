using System;
using System.Collections.Generic;

namespace SecureNmc.Core.Reports
{
    /// <summary>
    /// Everything Export-NmcReport shows, already counted and already free of secrets: the builder
    /// copies only the fields a report needs from devices, licences and the journal (no user names,
    /// passwords, tokens, or Activation IDs beyond their last four characters), so the writers can
    /// only ever print what is here.
    /// </summary>
    public sealed class FleetReport
    {
        public DateTimeOffset GeneratedAt { get; internal set; }
        public int DeviceCount => Cards.Count;
        public IReadOnlyList<ReportCard> Cards { get; internal set; } = Array.Empty<ReportCard>();

        /// <summary>Cards per status, in the SNS Tool's wording, largest first.</summary>
        public IReadOnlyList<ReportCount> ByStatus { get; internal set; } = Array.Empty<ReportCount>();
        public IReadOnlyList<ReportCount> ByApplicationType { get; internal set; } = Array.Empty<ReportCount>();

        /// <summary>Cards per installed firmware, e.g. "SU 2.5.0.6".</summary>
        public IReadOnlyList<ReportCount> ByFirmware { get; internal set; } = Array.Empty<ReportCount>();

        /// <summary>The newest version the firmware library knows per application type (NMC3, hw21).</summary>
        public IReadOnlyList<ReportCount> LatestPerType { get; internal set; } = Array.Empty<ReportCount>();

        /// <summary>NMC3 cards whose type has a known latest version (the denominator of the "on latest" share).</summary>
        public int ComparableWithLatest { get; internal set; }
        public int OnLatest { get; internal set; }

        /// <summary>Share of comparable cards on the latest version, 0..1; null when no card is comparable.</summary>
        public double? OnLatestShare => ComparableWithLatest == 0 ? (double?)null : (double)OnLatest / ComparableWithLatest;

        /// <summary>Why subscription data is missing or partial (e.g. no trusted key configured); null when complete.</summary>
        public string? SubscriptionNote { get; internal set; }
        public int SubscriptionsExpired { get; internal set; }
        public int SubscriptionsExpiringSoon { get; internal set; }
        public int SubscriptionsValid { get; internal set; }
        public int SubscriptionsNone { get; internal set; }

        /// <summary>The newest update run in the journal, limited to the report's cards; null when none ran.</summary>
        public ReportRun? LastRun { get; internal set; }

        public IReadOnlyList<ReportAction> Actions { get; internal set; } = Array.Empty<ReportAction>();
    }

    public sealed class ReportCount
    {
        public ReportCount(string label, int count) { Label = label; Count = count; }
        public string Label { get; }
        public int Count { get; }
        public override string ToString() => $"{Label}: {Count}";
    }

    /// <summary>One card as the report shows it.</summary>
    public sealed class ReportCard
    {
        public Guid DeviceId { get; internal set; }
        public string Name { get; internal set; } = "";
        public string Host { get; internal set; } = "";
        public string? Model { get; internal set; }
        public string? SerialNumber { get; internal set; }
        public string? ApplicationType { get; internal set; }
        public string? ApplicationVersion { get; internal set; }
        public string? AosVersion { get; internal set; }
        public string Status { get; internal set; } = "";
        public string? StatusDetail { get; internal set; }
        public bool OutsideSecureNmc { get; internal set; }
        public string? LatestVersion { get; internal set; }
        public bool? OnLatest { get; internal set; }
        public ReportSubscription? Subscription { get; internal set; }
        /// <summary>This card's latest state in any run of the journal; null when it never took part.</summary>
        public ReportRunCard? LatestUpdate { get; internal set; }
    }

    public sealed class ReportSubscription
    {
        /// <summary>None, Included, Active, ExpiringSoon or Expired (Get-NmcSubscription's State).</summary>
        public string State { get; internal set; } = "None";
        public string? Kind { get; internal set; }
        public string? PartNumber { get; internal set; }
        /// <summary>The Activation ID's last four characters after an ellipsis ("…7F3A"); never the whole ID.</summary>
        public string? ActivationIdEnding { get; internal set; }
        public DateTime? ActivatedOn { get; internal set; }
        public DateTime? ExpiresOn { get; internal set; }
        public int? DaysLeft { get; internal set; }
        public string? Problem { get; internal set; }
    }

    /// <summary>One update run: its cards and how many had finished at each moment.</summary>
    public sealed class ReportRun
    {
        public Guid RunId { get; internal set; }
        public DateTimeOffset Started { get; internal set; }
        public DateTimeOffset? Finished { get; internal set; }
        public IReadOnlyList<ReportRunCard> Cards { get; internal set; } = Array.Empty<ReportRunCard>();
        /// <summary>Cumulative finished cards over time, one point per finished card, in time order.</summary>
        public IReadOnlyList<ReportProgressPoint> Progress { get; internal set; } = Array.Empty<ReportProgressPoint>();
        public int Updated { get; internal set; }
        public int Failed { get; internal set; }
        public int Skipped { get; internal set; }
        public int Cancelled { get; internal set; }
        public int Unfinished { get; internal set; }
    }

    public sealed class ReportRunCard
    {
        public Guid RunId { get; internal set; }
        public Guid DeviceId { get; internal set; }
        public string DeviceName { get; internal set; } = "";
        public string? From { get; internal set; }
        public string? To { get; internal set; }
        public string? Reached { get; internal set; }
        public string Status { get; internal set; } = "";
        /// <summary>Updated, Skipped, Failed, Cancelled, or null while unfinished.</summary>
        public string? Outcome { get; internal set; }
        public int Attempts { get; internal set; }
        public TimeSpan? Duration { get; internal set; }
        public string? Error { get; internal set; }
        public DateTimeOffset Time { get; internal set; }
        public bool Finished { get; internal set; }
    }

    public sealed class ReportProgressPoint
    {
        public ReportProgressPoint(TimeSpan elapsed, int finished, int updated) { Elapsed = elapsed; Finished = finished; Updated = updated; }
        public TimeSpan Elapsed { get; }
        public int Finished { get; }
        public int Updated { get; }
    }

    /// <summary>A card that needs someone to do something, with what to do.</summary>
    public sealed class ReportAction
    {
        public string DeviceName { get; internal set; } = "";
        public string Host { get; internal set; } = "";
        /// <summary>The problem, in the SNS Tool's status wording or "NMC2 card (outside the Secure NMC System)".</summary>
        public string Problem { get; internal set; } = "";
        public string Guidance { get; internal set; } = "";
        public string? Detail { get; internal set; }
    }
}
