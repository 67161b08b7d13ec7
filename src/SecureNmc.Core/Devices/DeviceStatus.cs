using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Core.Devices
{
    /// <summary>The SNS Tool's Device Status table, every entry, and In Flight (a card handed over to a worker); <see cref="DeviceStatusText"/> holds the exact wording.</summary>
    public enum DeviceStatus
    {
        Unknown = 0,
        ActivateSubscriptionToUpdate,
        AtCurrentVersion,
        BackingUpDevice,
        DownloadComplete,
        DownloadUnsuccessful,
        DownloadPending,
        DownloadingFirmware,
        FirmwareUnavailable,
        IncorrectCredentials,
        NewerFirmwareInstalled,
        NotAccessible,
        PreparingDevice,
        Querying,
        QueuedForUpdate,
        ReadyForUpdate,
        RestartingInterface,
        RetryingUpdate,
        UpdateComplete,
        UpdateError,
        UpdatingBootloader,
        UpdatingFirmware,
        VerifyingUpdate,

        /// <summary>
        /// Not an SNS Tool status: shown (never stored) for a card handed over to a worker with
        /// Export-NmcBundle -HandOverTo whose results have not come back (NmcDevice.HandedOverTo).
        /// </summary>
        InFlight,
    }

    public static class DeviceStatusText
    {
        private static readonly Dictionary<DeviceStatus, (string Text, string Description)> Table = new Dictionary<DeviceStatus, (string, string)>
        {
            [DeviceStatus.ActivateSubscriptionToUpdate] = ("Activate Subscription to Update", "The device must be activated with the correct subscription to perform update."),
            [DeviceStatus.AtCurrentVersion] = ("At Current Version", "The NMC has the latest firmware available installed."),
            [DeviceStatus.BackingUpDevice] = ("Backing Up Device", "The NMC Event Log, Data Log and Configuration files are backed up before the firmware is updated."),
            [DeviceStatus.DownloadComplete] = ("Download Complete", "The firmware has successfully downloaded."),
            [DeviceStatus.DownloadUnsuccessful] = ("Download Unsuccessful", "The firmware has not successfully downloaded."),
            [DeviceStatus.DownloadPending] = ("Download Pending", "The firmware is pending download."),
            [DeviceStatus.DownloadingFirmware] = ("Downloading Firmware", "The firmware is being downloaded."),
            [DeviceStatus.FirmwareUnavailable] = ("Firmware Unavailable", "The firmware update service is currently unavailable."),
            [DeviceStatus.IncorrectCredentials] = ("Incorrect Credentials", "The NMC credentials provided are incorrect."),
            [DeviceStatus.NewerFirmwareInstalled] = ("Newer Firmware Installed", "The device has newer firmware than what is available for download."),
            [DeviceStatus.NotAccessible] = ("Not Accessible", "The device is not accessible via the network. Check the connection to the NMC."),
            [DeviceStatus.PreparingDevice] = ("Preparing Device", "The device is checked for suitability to update."),
            [DeviceStatus.Querying] = ("Querying", "The SNS Tool is communicating with the NMC device."),
            [DeviceStatus.QueuedForUpdate] = ("Queued for Update", "The device is queued to be updated at the next availability."),
            [DeviceStatus.ReadyForUpdate] = ("Ready for Update", "The device has passed all pre-update checks and requirements and is ready to update."),
            [DeviceStatus.RestartingInterface] = ("Restarting Interface", "The device is restarting."),
            [DeviceStatus.RetryingUpdate] = ("Retrying Update", "The device could not be updated. The firmware update process is starting over from the beginning."),
            [DeviceStatus.Unknown] = ("Unknown", "Status is unknown."),
            [DeviceStatus.UpdateComplete] = ("Update Complete", "The device has completed the firmware update process."),
            [DeviceStatus.UpdateError] = ("Update Error", "The device experienced an error during the firmware update process."),
            [DeviceStatus.UpdatingBootloader] = ("Updating Bootloader", "The bootloader of the device is updating."),
            [DeviceStatus.UpdatingFirmware] = ("Updating Firmware", "The device is currently updating its firmware."),
            [DeviceStatus.VerifyingUpdate] = ("Verifying Update", "The device is verifying the new firmware."),
            [DeviceStatus.InFlight] = ("In Flight", "The device was handed over to a worker (Export-NmcBundle -HandOverTo); until the worker's results are imported or the device is taken back, only that worker updates it."),
        };

        /// <summary>The seed's wording, e.g. "Queued for Update".</summary>
        public static string ToText(this DeviceStatus status) => Table[status].Text;

        public static string Describe(this DeviceStatus status) => Table[status].Description;

        /// <summary>Accepts the seed's wording or the enum name, any case.</summary>
        public static bool TryParse(string? text, out DeviceStatus status)
        {
            status = DeviceStatus.Unknown;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var t = text!.Trim();
            foreach (var pair in Table)
            {
                if (string.Equals(pair.Value.Text, t, StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(pair.Key.ToString(), t, StringComparison.OrdinalIgnoreCase))
                {
                    status = pair.Key;
                    return true;
                }
            }
            return false;
        }

        public static IEnumerable<DeviceStatus> All => Table.Keys.OrderBy(k => k);
    }
}
