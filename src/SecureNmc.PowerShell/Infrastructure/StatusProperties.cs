using System;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Updates;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Getters of the CodeProperty members SecureNmc.types.ps1xml puts on every emitted object that
    /// carries a <see cref="DeviceStatus"/> (devices, update results, update history, saved firmware).
    /// In PowerShell, Status is then a <see cref="DeviceStatusLabel"/> (it reads, filters, groups,
    /// sorts and exports as the SNS wording) and StatusCode is the enum, for code.
    /// </summary>
    public static class StatusProperties
    {
        public static DeviceStatusLabel GetStatus(PSObject instance) => new DeviceStatusLabel(GetStatusCode(instance));

        public static DeviceStatus GetStatusCode(PSObject instance)
        {
            switch (instance?.BaseObject)
            {
                case NmcDevice device: return device.Status;
                case CardUpdateResult result: return result.Status;
                case CardJournalState state: return state.Status;
                case SavedFirmware saved: return saved.Status;
                default:
                    throw new ArgumentException($"SecureNmc.types.ps1xml gives Status to a type that has none: {instance?.BaseObject?.GetType().FullName ?? "null"}.");
            }
        }
    }
}
