using System;
using System.Collections.Generic;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Query;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// Writes a run's outcome back into the inventory (one locked write for the whole run), so
    /// Get-NmcDevice tells the truth: the facts the card reported at its last read (the verify step's
    /// query after the restart: application, AOS and bootloader versions, model, serial, system
    /// name...), and the result status with the planner's verdict it was reached under.
    /// </summary>
    public static class UpdateResultRecorder
    {
        /// <summary>
        /// Records <paramref name="results"/>; <paramref name="statuses"/> (the run's planner) supplies
        /// the basis stored with Update Complete / Update Error, so the planner's status replaces them
        /// once the facts change. Returns how many devices were written (removed ones are skipped).
        /// </summary>
        public static int Record(DeviceInventory inventory, IReadOnlyCollection<CardUpdateResult> results, DeviceStatusResolver? statuses)
        {
            if (inventory == null) throw new ArgumentNullException(nameof(inventory));
            if (results == null) throw new ArgumentNullException(nameof(results));
            if (results.Count == 0) return 0;
            return inventory.Transact(tx =>
            {
                var changed = 0;
                foreach (var result in results)
                {
                    if (tx.FindById(result.DeviceId) == null) continue; // removed from the inventory meanwhile
                    tx.Update(result.DeviceId, device => Apply(result, device, statuses));
                    changed++;
                }
                return changed;
            });
        }

        /// <summary>One card's result onto its stored record.</summary>
        public static void Apply(CardUpdateResult result, NmcDevice device, DeviceStatusResolver? statuses)
        {
            if (result == null) throw new ArgumentNullException(nameof(result));
            if (device == null) throw new ArgumentNullException(nameof(device));
            ApplyReadBack(result, device);

            switch (result.Outcome)
            {
                case CardOutcome.Updated:
                case CardOutcome.Failed:
                    device.Status = result.Status;
                    device.StatusDetail = result.Error;
                    device.StatusBasis = statuses?.BasisFor(device);
                    break;
                default:
                    // Skipped or cancelled: nothing changed on the card. A refused request (Unknown: a type
                    // change without the switch...) says nothing about the card, so its status stays.
                    if (result.Status == DeviceStatus.Unknown) break;
                    device.Status = result.Status;
                    device.StatusDetail = result.Error;
                    device.StatusBasis = null;
                    break;
            }
        }

        private static void ApplyReadBack(CardUpdateResult result, NmcDevice device)
        {
            if (result.ReadBack != null)
            {
                QueriedFacts.Apply(device, result.ReadBack);
                if (result.ReadBackTime.HasValue) device.LastQueried = result.ReadBackTime;
                return;
            }
            // A reader that only reports versions: store those.
            if (result.ReachedVersion == null) return;
            device.ApplicationVersion = result.ReachedVersion.ToString();
            if (result.ReachedApplicationType != null) device.ApplicationType = result.ReachedApplicationType;
            if (result.ReachedAosVersion != null) device.AosVersion = result.ReachedAosVersion.ToString();
            if (result.ReachedBootloaderVersion != null) device.BootloaderVersion = result.ReachedBootloaderVersion.ToString();
            if (result.ReadBackTime.HasValue) device.LastQueried = result.ReadBackTime;
        }
    }
}
