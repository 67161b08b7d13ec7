using System.Collections.Generic;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>
    /// Everything a query learned about one card, merged from config.ini, <c>about</c>, the login banner,
    /// event.txt and data.txt (see <see cref="CardIdentityBuilder"/> for which source wins).
    /// </summary>
    public sealed class CardIdentity
    {
        public NmcGeneration Generation { get; internal set; }

        /// <summary>"AP9641"; null over FTP, where only <c>about</c> (SSH) names the model.</summary>
        public string? Model { get; internal set; }
        public string? SerialNumber { get; internal set; }

        /// <summary>"28:29:86:00:00:01".</summary>
        public string? MacAddress { get; internal set; }
        public string? HardwareRevision { get; internal set; }

        /// <summary>"hw21" for NMC3, "hw05" for NMC2: the hardware code in firmware file names.</summary>
        public string? HardwareCode { get; internal set; }

        public ApplicationType? ApplicationType { get; internal set; }

        /// <summary>The application code or name the card printed ("su", "sumx", "Smart-UPS").</summary>
        public string? ApplicationCode { get; internal set; }

        public string? AosVersion { get; internal set; }
        public string? ApplicationVersion { get; internal set; }
        public string? BootloaderVersion { get; internal set; }

        public string? SystemName { get; internal set; }
        public string? SystemContact { get; internal set; }
        public string? SystemLocation { get; internal set; }
        public string? HostName { get; internal set; }
        public string? IpAddress { get; internal set; }

        /// <summary>The device the card is in, from data.txt ("Smart-UPS 1500"), when known.</summary>
        public string? DeviceModel { get; internal set; }

        /// <summary>Card-local time of the newest "Firmware Updated." event in event.txt, as written.</summary>
        public string? LastFirmwareUpdateEvent { get; internal set; }

        /// <summary>
        /// Card-local time of the newest "System: Coldstart." event in event.txt, as written: a card
        /// writes one each time it boots, so a different value between two reads means it restarted.
        /// </summary>
        public string? LastColdstartEvent { get; internal set; }

        /// <summary>Which inputs contributed ("config.ini", "about", "banner", "event.txt", "data.txt").</summary>
        public IReadOnlyList<string> Sources { get; internal set; } = new string[0];

        /// <summary>True for NMC3: the only family the Secure NMC System updates.</summary>
        public bool IsSupported => Generation == NmcGeneration.Nmc3;

        /// <summary>Why the card cannot be managed (NMC2, or too little recognised to tell), or null when supported.</summary>
        public string? UnsupportedReason { get; internal set; }
    }
}
