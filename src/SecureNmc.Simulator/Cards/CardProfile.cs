using System;
using System.Globalization;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;

namespace SecureNmc.Simulator.Cards
{
    /// <summary>
    /// Who a simulated card is: hardware, firmware versions and the system identity set on it.
    /// Mutable so tests can set up any card; the card changes versions itself after an update.
    /// </summary>
    public sealed class CardProfile
    {
        public static readonly string[] StandaloneModels = { "AP9640", "AP9641", "AP9643", "AP9544", "AP9547" };

        /// <summary>NMC3 by default; NMC2 makes the card render hw05 files (bootmon / aos / sumx, AOS 6.x).</summary>
        public NmcGeneration Generation { get; set; } = NmcGeneration.Nmc3;

        /// <summary>A standalone part number or an embedded card's model name.</summary>
        public string Model { get; set; } = "AP9641";
        public string HardwareRevision { get; set; } = "05";
        public string SerialNumber { get; set; } = "ZA2101000001";
        public string MacAddress { get; set; } = "28:29:86:00:00:01";
        public string ManufactureDate { get; set; } = "01/15/2021";

        public ApplicationType ApplicationType { get; set; } = ApplicationType.SU;
        public string BootloaderVersion { get; set; } = "1.5.1.1";
        public string AosVersion { get; set; } = "2.5.0.8";
        public string ApplicationVersion { get; set; } = "2.5.0.6";

        public string SystemName { get; set; } = "apc000001";
        public string SystemContact { get; set; } = "Unknown";
        public string SystemLocation { get; set; } = "Unknown";
        public string HostName { get; set; } = "apc000001";
        public string DomainName { get; set; } = "example.com";
        public string IpAddress { get; set; } = "127.0.0.1";

        /// <summary>The device the card is in, printed in data.txt.</summary>
        public string DeviceModel { get; set; } = "Smart-UPS 1500";

        /// <summary>The SSH host key the card presents: RSA-2048 as shipped, or ECDSA P-256 as a user can select.</summary>
        public SimulatorHostKeyType HostKeyType { get; set; } = SimulatorHostKeyType.Rsa2048;

        public bool IsEmbedded => Array.IndexOf(StandaloneModels, Model) < 0;

        public string HardwareCode => Generation == NmcGeneration.Nmc2 ? NmcGenerationRules.Nmc2HardwareCode : NmcGenerationRules.Nmc3HardwareCode;

        /// <summary>Module names as <c>about</c> prints them: boot / aos / su on NMC3, bootmon / aos / sumx on NMC2.</summary>
        public string BootModuleName => Generation == NmcGeneration.Nmc2 ? "bootmon" : "boot";
        public string ApplicationModuleName => Generation == NmcGeneration.Nmc2 ? "sumx" : ApplicationTypeInfo.Get(ApplicationType).FileCode;

        /// <summary>What config.ini, the logs and the banner print before "APP".</summary>
        public string ApplicationHeaderName => Generation == NmcGeneration.Nmc2 ? "Smart-UPS & Matrix-UPS" : ApplicationHeaderNames.For(ApplicationType);

        public CardProfile Clone() => (CardProfile)MemberwiseClone();

        /// <summary>Factory system identity ("apc" + last three MAC bytes), as after an application-type change.</summary>
        public void ResetSystemIdentity()
        {
            var suffix = MacAddress.Replace(":", "").ToLowerInvariant();
            suffix = suffix.Length >= 6 ? suffix.Substring(suffix.Length - 6) : suffix;
            SystemName = "apc" + suffix;
            HostName = "apc" + suffix;
            SystemContact = "Unknown";
            SystemLocation = "Unknown";
        }

        /// <summary>A plausible NMC3 for fleet member <paramref name="index"/> (0-based): models and applications rotate.</summary>
        public static CardProfile ForFleetMember(int index)
        {
            var types = (ApplicationType[])Enum.GetValues(typeof(ApplicationType));
            var n = index + 1;
            var profile = new CardProfile
            {
                Model = StandaloneModels[index % StandaloneModels.Length],
                ApplicationType = types[index % types.Length],
                SerialNumber = "ZA21" + n.ToString("D8", CultureInfo.InvariantCulture),
                MacAddress = string.Format(CultureInfo.InvariantCulture, "28:29:86:{0:X2}:{1:X2}:{2:X2}", (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF),
                SystemLocation = "Rack " + (1 + index / 10).ToString(CultureInfo.InvariantCulture),
                SystemContact = "ops@example.com",
            };
            profile.SystemName = profile.HostName = "nmc-" + n.ToString("D4", CultureInfo.InvariantCulture);
            profile.DeviceModel = profile.ApplicationType == ApplicationType.RPDU2G ? "AP8841" : "Smart-UPS 1500";
            return profile;
        }

        /// <summary>An NMC2 (AP9631, hw05, AOS 6.9.6, bootmon / aos / sumx), which the product must report as not supported.</summary>
        public static CardProfile Nmc2(int index = 0)
        {
            var p = ForFleetMember(index);
            p.Generation = NmcGeneration.Nmc2;
            p.Model = "AP9631";
            p.HardwareRevision = "05";
            p.ApplicationType = ApplicationType.SU;
            p.BootloaderVersion = "1.0.9";
            p.AosVersion = "6.9.6";
            p.ApplicationVersion = "6.9.6";
            return p;
        }
    }
}
