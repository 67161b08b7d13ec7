using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Updates
{
    /// <summary>What the admin asked for (Invoke-NmcFirmwareUpdate parameters).</summary>
    public sealed class UpdatePlanOptions
    {
        /// <summary>-Version: a named version instead of the latest. Naming a lower version than installed permits that downgrade.</summary>
        public FirmwareVersion? TargetVersion { get; set; }

        /// <summary>-ApplicationType: switch the card to another application (factory reset).</summary>
        public ApplicationType? TargetApplicationType { get; set; }

        /// <summary>-ChangeApplicationType: the explicit consent a type change needs.</summary>
        public bool AllowApplicationTypeChange { get; set; }

        /// <summary>
        /// -Reinstall: the seed's "update a device at current version or with newer firmware by
        /// selecting it": a card at the target is flashed again, a newer card is taken to the target.
        /// </summary>
        public bool Reinstall { get; set; }

        /// <summary>Back up config.ini, event.txt and data.txt first (setting BackupBeforeUpdate, default on).</summary>
        public bool BackupBeforeUpdate { get; set; } = true;
    }
}
