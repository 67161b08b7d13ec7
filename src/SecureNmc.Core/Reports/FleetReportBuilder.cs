using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Reports
{
    /// <summary>
    /// Counts and joins devices, the firmware catalog, verified subscriptions and the update journal
    /// into a <see cref="FleetReport"/>. Only display fields are copied: credentials never enter the
    /// model, and an Activation ID enters only as its last four characters.
    /// </summary>
    public static class FleetReportBuilder
    {
        private const int ActivationIdVisibleCharacters = 4;

        public static FleetReport Build(FleetReportInput input)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            var journal = new ReportJournal(input.Journal);
            var latestUpdates = journal.LatestPerDevice();
            var ids = new HashSet<Guid>(input.Devices.Select(d => d.Id));

            var cards = input.Devices
                .OrderBy(d => d.DisplayName, StringComparer.OrdinalIgnoreCase)
                .Select(d => Card(d, input, latestUpdates))
                .ToList();

            var comparable = cards.Where(c => c.OnLatest.HasValue).ToList();
            return new FleetReport
            {
                GeneratedAt = input.Now,
                Cards = cards,
                ByStatus = Count(cards.Select(c => c.Status)),
                ByApplicationType = Count(cards.Select(c => c.OutsideSecureNmc ? "NMC2" : c.ApplicationType ?? "Not queried")),
                ByFirmware = Count(cards.Select(c => c.ApplicationVersion == null ? "Not queried" : ((c.ApplicationType ?? (c.OutsideSecureNmc ? "NMC2" : "?")) + " " + c.ApplicationVersion))),
                LatestPerType = input.Catalog.Query(hardware: HardwarePlatform.Nmc3, latestOnly: true)
                    .GroupBy(p => p.ApplicationType).OrderBy(g => g.Key)
                    .Select(g => new ReportCount(g.Key + " " + g.Max(p => p.Version), cards.Count(c => c.ApplicationType == g.Key.ToString() && c.OnLatest == true)))
                    .ToList(),
                ComparableWithLatest = comparable.Count,
                OnLatest = comparable.Count(c => c.OnLatest == true),
                SubscriptionNote = input.SubscriptionNote,
                SubscriptionsExpired = cards.Count(c => c.Subscription?.State == nameof(SubscriptionState.Expired)),
                SubscriptionsExpiringSoon = cards.Count(c => c.Subscription?.State == nameof(SubscriptionState.ExpiringSoon)),
                SubscriptionsValid = cards.Count(c => c.Subscription?.State == nameof(SubscriptionState.Active) || c.Subscription?.State == nameof(SubscriptionState.Included)),
                SubscriptionsNone = cards.Count(c => c.Subscription == null || c.Subscription.State == nameof(SubscriptionState.None)),
                LastRun = journal.LastRun(ids.Contains),
                Actions = cards.Select(Action).Where(a => a != null).Select(a => a!).ToList(),
            };
        }

        private static ReportCard Card(NmcDevice d, FleetReportInput input, IReadOnlyDictionary<Guid, ReportRunCard> latestUpdates)
        {
            var outside = IsOutsideSecureNmc(d);
            var card = new ReportCard
            {
                DeviceId = d.Id,
                Name = d.DisplayName,
                Host = d.Host,
                Model = d.Model,
                SerialNumber = d.SerialNumber,
                ApplicationType = d.ApplicationType?.ToString(),
                ApplicationVersion = d.ApplicationVersion,
                AosVersion = d.AosVersion,
                Status = d.Status.ToText(),
                StatusDetail = d.StatusDetail,
                OutsideSecureNmc = outside,
                LatestUpdate = latestUpdates.TryGetValue(d.Id, out var update) ? update : null,
            };
            if (!outside && d.ApplicationType.HasValue)
            {
                var latest = input.Catalog.Latest(d.ApplicationType.Value, HardwarePlatform.Nmc3);
                if (latest != null)
                {
                    card.LatestVersion = latest.Version.ToString();
                    if (FirmwareVersion.TryParse(d.ApplicationVersion, out var installed)) card.OnLatest = installed >= latest.Version;
                }
            }
            if (input.Subscriptions.TryGetValue(d.Id, out var status)) card.Subscription = Subscription(status);
            return card;
        }

        private static ReportSubscription Subscription(SubscriptionStatus s) => new ReportSubscription
        {
            State = s.State.ToString(),
            Kind = s.Kind?.ToString(),
            PartNumber = s.PartNumber,
            ActivationIdEnding = Ending(s.ActivationId),
            ActivatedOn = s.ActivatedOn,
            ExpiresOn = s.ExpiresOn,
            DaysLeft = s.DaysLeft,
            Problem = s.Error,
        };

        /// <summary>"…" and the last four characters: enough to tell subscriptions apart, too little to use one.</summary>
        internal static string? Ending(string? secret)
        {
            if (string.IsNullOrEmpty(secret)) return null;
            return "\u2026" + (secret!.Length <= ActivationIdVisibleCharacters ? "" : secret.Substring(secret.Length - ActivationIdVisibleCharacters));
        }

        private static ReportAction? Action(ReportCard card)
        {
            if (card.OutsideSecureNmc)
                return new ReportAction { DeviceName = card.Name, Host = card.Host, Problem = ActionGuidance.Nmc2Problem, Guidance = ActionGuidance.Nmc2, Detail = card.Model };
            if (!DeviceStatusText.TryParse(card.Status, out var status)) return null;
            var guidance = ActionGuidance.For(status);
            if (guidance == null) return null;
            var detail = card.StatusDetail ?? (status == DeviceStatus.UpdateError ? card.LatestUpdate?.Error : null);
            return new ReportAction { DeviceName = card.Name, Host = card.Host, Problem = card.Status, Guidance = guidance, Detail = detail };
        }

        /// <summary>An NMC2 by model (AP963x/AP961x, as the planner decides) or, when nothing else is known, by its AOS 5.x-7.x.</summary>
        internal static bool IsOutsideSecureNmc(NmcDevice d) =>
            HardwarePlatform.Resolve(d) == HardwarePlatform.Nmc2 ||
            NmcGenerationRules.FromModel(d.Model) == NmcGeneration.Nmc2 ||
            (!d.ApplicationType.HasValue && NmcGenerationRules.FromAosVersion(d.AosVersion) == NmcGeneration.Nmc2);

        private static IReadOnlyList<ReportCount> Count(IEnumerable<string> labels) =>
            labels.GroupBy(l => l, StringComparer.Ordinal)
                .Select(g => new ReportCount(g.Key, g.Count()))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.OrdinalIgnoreCase)
                .ToList();
    }
}
