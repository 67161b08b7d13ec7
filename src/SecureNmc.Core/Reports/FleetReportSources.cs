using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Reports
{
    /// <summary>
    /// Gathers a report's input from the data folder without contacting any card or service: the
    /// verified licence store (as Get-NmcSubscription -Offline and the update gate read it), the
    /// firmware catalog snapshot, and the update journal.
    /// </summary>
    public static class FleetReportSources
    {
        public static FleetReportInput Gather(IReadOnlyList<NmcDevice> devices, DataFolder dataFolder, NmcSettings settings,
            FirmwareCatalog catalog, string journalPath, DateTimeOffset now)
        {
            if (devices == null) throw new ArgumentNullException(nameof(devices));
            if (dataFolder == null) throw new ArgumentNullException(nameof(dataFolder));
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            var input = new FleetReportInput
            {
                Devices = devices,
                Catalog = catalog ?? FirmwareCatalog.Empty,
                Journal = File.Exists(journalPath) ? UpdateJournal.ReadAll(journalPath) : Array.Empty<JournalRecord>(),
                Now = now,
            };
            ReadSubscriptions(input, dataFolder, settings);
            return input;
        }

        private static void ReadSubscriptions(FleetReportInput input, DataFolder dataFolder, NmcSettings settings)
        {
            if (string.IsNullOrWhiteSpace(settings.LicensingServiceKey))
            {
                input.SubscriptionNote = "No licensing service key is configured (Set-NmcSetting -LicensingServiceKey), so no licence can be verified and no subscription is shown.";
                return;
            }
            TrustedServiceKey key;
            try { key = TrustedServiceKey.Parse(settings.LicensingServiceKey!); }
            catch (FormatException e)
            {
                input.SubscriptionNote = "The LicensingServiceKey setting is not usable (" + e.Message + "), so no subscription is shown.";
                return;
            }
            var store = new LicenceStore(new LicensingDataFolder(dataFolder).LicenceStorePath, key);
            var gate = new SubscriptionGate(store);
            var today = LicensingDates.UtcDay(input.Now);
            input.Subscriptions = input.Devices.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => gate.Evaluate(g.First(), today));
            var rejected = store.Rejected.Count;
            if (rejected > 0)
                input.SubscriptionNote = $"{rejected} record(s) in the licence store did not verify with the trusted key and license nothing; Get-NmcSubscription lists them.";
        }
    }
}
