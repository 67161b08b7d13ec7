using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Updates
{
    /// <summary>The upgrade-path rules from the seeds and field notes.</summary>
    public static class UpgradeRules
    {
        /// <summary>
        /// NMC3 firmware older than this can corrupt flash while updating (seed 000, FAQ000262012):
        /// such a card first goes to this version (or the lowest available at or above it).
        /// </summary>
        public static FirmwareVersion FlashSafeMinimum { get; } = FirmwareVersion.Parse("2.3.1.1");

        public const string FlashSafeArticle = "FAQ000262012";
    }
}
