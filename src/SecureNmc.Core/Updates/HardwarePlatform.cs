using System;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// The <c>hwNN</c> platform code firmware file names carry. The Secure NMC System covers NMC3
    /// (hw21: AP9640, AP9641, AP9643, AP9544, AP9547 and embedded cards); NMC2 (hw05) and older
    /// cards are recognised by model so they are refused with a reason instead of being sent NMC3 files.
    /// </summary>
    public static class HardwarePlatform
    {
        public const int Nmc3 = 21;
        public const int Nmc2 = 5;

        /// <summary>The platform of a queried device: hw05 for AP963x / AP961x models, otherwise hw21.</summary>
        public static int Resolve(NmcDevice device)
        {
            var model = device.Model?.Trim() ?? "";
            if (model.StartsWith("AP963", StringComparison.OrdinalIgnoreCase) || model.StartsWith("AP961", StringComparison.OrdinalIgnoreCase))
                return Nmc2;
            return Nmc3;
        }
    }
}
