using System;
using System.Collections.Generic;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Reports
{
    /// <summary>What a report is built from; gathered by <see cref="FleetReportSources"/> or given by a test.</summary>
    public sealed class FleetReportInput
    {
        public IReadOnlyList<NmcDevice> Devices { get; set; } = Array.Empty<NmcDevice>();
        public FirmwareCatalog Catalog { get; set; } = FirmwareCatalog.Empty;

        /// <summary>Each device's verified subscription (by device id); missing = not known.</summary>
        public IReadOnlyDictionary<Guid, SubscriptionStatus> Subscriptions { get; set; } = new Dictionary<Guid, SubscriptionStatus>();

        /// <summary>Why subscriptions could not be read, when they could not.</summary>
        public string? SubscriptionNote { get; set; }

        public IReadOnlyList<JournalRecord> Journal { get; set; } = Array.Empty<JournalRecord>();
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
    }
}
