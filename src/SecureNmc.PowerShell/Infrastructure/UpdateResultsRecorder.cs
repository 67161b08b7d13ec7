using System.Collections.Generic;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Updates;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Writes a run's outcome back into the inventory (one locked write for the whole run), so
    /// Get-NmcDevice shows each card's update status and the version it reached.
    /// </summary>
    internal static class UpdateResultsRecorder
    {
        public static int Record(DeviceInventory inventory, IReadOnlyCollection<CardUpdateResult> results)
        {
            if (results.Count == 0) return 0;
            return inventory.Transact(tx =>
            {
                var changed = 0;
                foreach (var result in results)
                {
                    if (tx.FindById(result.DeviceId) == null) continue; // removed from the inventory meanwhile
                    tx.Update(result.DeviceId, device =>
                    {
                        device.Status = result.Status;
                        device.StatusDetail = result.Error;
                        if (result.ReachedVersion != null)
                        {
                            device.ApplicationVersion = result.ReachedVersion.ToString();
                            if (result.ReachedApplicationType != null) device.ApplicationType = result.ReachedApplicationType;
                        }
                    });
                    changed++;
                }
                return changed;
            });
        }
    }
}
