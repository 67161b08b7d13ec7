using System;
using System.Collections.Generic;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Updates;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// The seed's bell icon and "New" marker in the Target Application column, as properties on the
    /// devices Get-NmcDevice writes: IsNewerFirmwareAvailable, AvailableFirmwareVersion and
    /// TargetApplication ("SU 2.5.0.6 (New)"). Computed from the firmware library, never stored.
    /// </summary>
    internal sealed class FirmwareAvailabilityView
    {
        public const string IsNewerProperty = "IsNewerFirmwareAvailable";
        public const string VersionProperty = "AvailableFirmwareVersion";
        public const string TargetProperty = "TargetApplication";

        private readonly UpdatePlanner? _planner;

        public FirmwareAvailabilityView(UpdatePlanner? planner) => _planner = planner;

        public PSObject Decorate(NmcDevice device)
        {
            var wrapped = PSObject.AsPSObject(device);
            FirmwareAvailability? availability = null;
            if (_planner != null && device.ApplicationType != null)
            {
                try { availability = _planner.CheckAvailability(device); }
                catch (ArgumentException) { } // not queried / unknown hardware: no marker, the Status column says why
            }
            var latest = availability?.Latest;
            var isNewer = availability?.IsNewerAvailable == true;
            Add(wrapped, IsNewerProperty, isNewer);
            Add(wrapped, VersionProperty, latest?.Version.ToString());
            Add(wrapped, TargetProperty, latest == null ? null
                : ApplicationVersionText.Format(latest.ApplicationType, latest.Version) + (isNewer ? " (New)" : ""));
            return wrapped;
        }

        private static void Add(PSObject target, string name, object? value)
        {
            target.Properties.Remove(name);
            target.Properties.Add(new PSNoteProperty(name, value));
        }
    }
}
