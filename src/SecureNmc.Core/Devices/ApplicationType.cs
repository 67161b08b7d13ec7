using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Core.Devices
{
    /// <summary>The nine NMC3 applications the Secure NMC System supports (SNS Tool user guide).</summary>
    public enum ApplicationType
    {
        SU,
        SY,
        SUCAN,
        RPDU2G,
        EU1P,
        EU3P,
        PX,
        SYPX,
        EMGPX,
    }

    /// <summary>Which subscription licenses a card: a subscription of one family cannot license another's card.</summary>
    public enum SubscriptionFamily
    {
        /// <summary>SWNMC3SU-nY-DIGI: SU, SY, SUCAN, EU3P, PX, SYPX, EMGPX.</summary>
        SmartUps,
        /// <summary>SWNMC3PDU-nY-DIGI: RPDU2G.</summary>
        RackPdu,
        /// <summary>FWENMC1P-STnY-DIGI: EU1P.</summary>
        EasyUpsOnline,
    }

    /// <summary>Facts about one application type, as the seeds state them.</summary>
    public sealed class ApplicationTypeInfo
    {
        private ApplicationTypeInfo(ApplicationType type, string fileCode, string displayName, SubscriptionFamily family, bool canChangeType)
        {
            Type = type;
            FileCode = fileCode;
            DisplayName = displayName;
            Family = family;
            CanChangeApplicationType = canChangeType;
        }

        public ApplicationType Type { get; }

        /// <summary>The code in firmware file names and the CLI "about" module list, e.g. "su" in apc_hw21_su_2.5.0.6.nmc3.</summary>
        public string FileCode { get; }

        public string DisplayName { get; }
        public SubscriptionFamily Family { get; }

        /// <summary>
        /// RPDU2G, EU1P and EU3P cards cannot change application type "as no other application type
        /// is supported by the device"; the others may be switched among themselves (factory reset).
        /// </summary>
        public bool CanChangeApplicationType { get; }

        public static IReadOnlyList<ApplicationTypeInfo> All { get; } = new[]
        {
            new ApplicationTypeInfo(ApplicationType.SU, "su", "Smart-UPS", SubscriptionFamily.SmartUps, true),
            new ApplicationTypeInfo(ApplicationType.SY, "sy", "1-Phase Symmetra", SubscriptionFamily.SmartUps, true),
            new ApplicationTypeInfo(ApplicationType.SUCAN, "sucan", "Smart-UPS Ultra", SubscriptionFamily.SmartUps, true),
            new ApplicationTypeInfo(ApplicationType.RPDU2G, "rpdu2g", "Rack Power Distribution Units", SubscriptionFamily.RackPdu, false),
            new ApplicationTypeInfo(ApplicationType.EU1P, "eu1p", "Easy UPS On-Line", SubscriptionFamily.EasyUpsOnline, false),
            new ApplicationTypeInfo(ApplicationType.EU3P, "eu3p", "Easy UPS 3S, 3S Pro, 3M, 3M Pro, 3L, Galaxy 3L and Galaxy PW 2nd Gen", SubscriptionFamily.SmartUps, false),
            new ApplicationTypeInfo(ApplicationType.PX, "px", "Symmetra PX", SubscriptionFamily.SmartUps, true),
            new ApplicationTypeInfo(ApplicationType.SYPX, "sypx", "Symmetra PX 250/500", SubscriptionFamily.SmartUps, true),
            new ApplicationTypeInfo(ApplicationType.EMGPX, "emgpx", "Easy UPS 3-Phase Modular, Easy UPS 3M Advanced, Galaxy 3L Pro and Galaxy PX", SubscriptionFamily.SmartUps, true),
        };

        public static ApplicationTypeInfo Get(ApplicationType type) => All.First(a => a.Type == type);

        /// <summary>Accepts the enum name or file code in any case ("SU", "su", "Rpdu2g"); false otherwise.</summary>
        public static bool TryParse(string? text, out ApplicationType type)
        {
            type = default;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var match = All.FirstOrDefault(a => string.Equals(a.FileCode, text!.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match == null) return false;
            type = match.Type;
            return true;
        }

        /// <summary>True when a card running <paramref name="from"/> may be switched to <paramref name="to"/>.</summary>
        public static bool CanChange(ApplicationType from, ApplicationType to) =>
            from == to || (Get(from).CanChangeApplicationType && Get(to).CanChangeApplicationType);
    }
}
