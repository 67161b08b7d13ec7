using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>
    /// Merges what each source says into one <see cref="CardIdentity"/>. Precedence: <c>about</c> for
    /// hardware facts and module versions (it is the card describing itself), then config.ini (system
    /// identity, MAC, host name, versions in its header), then the login banner, then event.txt / data.txt.
    /// </summary>
    public static class CardIdentityBuilder
    {
        public static CardIdentity Build(ConfigIniDocument? config, AboutReport? about = null, LoginBannerInfo? banner = null,
                                         CardLogDocument? eventLog = null, CardLogDocument? dataLog = null)
        {
            var id = new CardIdentity();
            var sources = new List<string>();
            if (config != null) sources.Add("config.ini");
            if (about != null) sources.Add("about");
            if (banner != null) sources.Add("banner");
            if (eventLog != null) sources.Add("event.txt");
            if (dataLog != null) sources.Add("data.txt");
            id.Sources = sources;

            id.Model = about?.Model;
            // Over FTP there is no 'about': the event and data logs' headers carry the serial number.
            id.SerialNumber = First(about?.SerialNumber, eventLog?.SerialNumber, dataLog?.SerialNumber);
            id.HardwareRevision = about?.HardwareRevision;
            id.MacAddress = about?.MacAddress ?? MacAddressText.Normalize(config?.Get("NetworkTCP/IP", "Override"))
                            ?? MacAddressText.Normalize(config?.Get("NetworkTCP/IP", "MACAddress"));

            id.BootloaderVersion = about?.Bootloader?.Version;
            id.AosVersion = First(about?.Aos?.Version, config?.AosVersion, banner?.AosVersion, eventLog?.AosVersion, dataLog?.AosVersion);
            id.ApplicationVersion = First(about?.Application?.Version, config?.ApplicationVersion, banner?.ApplicationVersion,
                                          eventLog?.ApplicationVersion, dataLog?.ApplicationVersion);
            id.ApplicationCode = First(about?.Application?.Name, config?.ApplicationName, banner?.ApplicationName,
                                       eventLog?.ApplicationName, dataLog?.ApplicationName);
            foreach (var candidate in new[] { about?.Application?.Name, config?.ApplicationName, banner?.ApplicationName, eventLog?.ApplicationName, dataLog?.ApplicationName })
            {
                if (ApplicationHeaderNames.TryParse(candidate, out var type)) { id.ApplicationType = type; break; }
            }

            id.SystemName = First(config?.Get("SystemID", "Name"), banner?.SystemName, eventLog?.SystemName, dataLog?.SystemName);
            id.SystemContact = First(config?.Get("SystemID", "Contact"), banner?.SystemContact, eventLog?.SystemContact, dataLog?.SystemContact);
            id.SystemLocation = First(config?.Get("SystemID", "Location"), banner?.SystemLocation, eventLog?.SystemLocation, dataLog?.SystemLocation);
            id.HostName = CardText.Clean(config?.Get("NetworkTCP/IP", "HostName"));
            id.IpAddress = First(config?.Get("NetworkTCP/IP", "SystemIP"), eventLog?.IpAddress, dataLog?.IpAddress);
            id.DeviceModel = dataLog?.DeviceModel;
            var updated = eventLog?.FindNewest("Firmware Updated");
            if (updated != null) id.LastFirmwareUpdateEvent = (updated.Date + " " + updated.Time).Trim();
            var booted = eventLog?.FindNewest("Coldstart");
            if (booted != null) id.LastColdstartEvent = (booted.Date + " " + booted.Time).Trim();

            id.Generation = DecideGeneration(id, about);
            id.HardwareCode = id.Generation switch
            {
                NmcGeneration.Nmc3 => NmcGenerationRules.Nmc3HardwareCode,
                NmcGeneration.Nmc2 => NmcGenerationRules.Nmc2HardwareCode,
                _ => about?.Modules.Select(m => m.HardwareCode).FirstOrDefault(c => c != null),
            };
            if (id.Generation == NmcGeneration.Nmc2) id.ApplicationType = null; // NMC2 codes (sumx) are not NMC3 application types
            id.UnsupportedReason = Explain(id);
            return id;
        }

        private static NmcGeneration DecideGeneration(CardIdentity id, AboutReport? about)
        {
            if (about != null)
            {
                foreach (var module in about.Modules)
                {
                    var g = NmcGenerationRules.FromHardwareCode(module.HardwareCode);
                    if (g != NmcGeneration.Unknown) return g;
                }
                foreach (var module in about.Modules)
                {
                    var g = NmcGenerationRules.FromModuleName(module.Name);
                    if (g != NmcGeneration.Unknown) return g;
                }
            }
            var byModel = NmcGenerationRules.FromModel(id.Model);
            if (byModel != NmcGeneration.Unknown) return byModel;
            return NmcGenerationRules.FromAosVersion(id.AosVersion);
        }

        private static string? Explain(CardIdentity id)
        {
            switch (id.Generation)
            {
                case NmcGeneration.Nmc3:
                    return null;
                case NmcGeneration.Nmc2:
                    return $"This is a Network Management Card 2 ({Describe(id)}). The Secure NMC System only updates NMC3 cards " +
                           "(AP9640, AP9641, AP9643, AP9544, AP9547 and embedded NMC3); update this card with Schneider Electric's NMC2 " +
                           "firmware tools or replace it with an NMC3.";
                default:
                    return "The card's files did not say which Network Management Card generation it is (no AOS version, model or " +
                           "module list was recognised); check that the address belongs to an NMC3 and query it again.";
            }
        }

        private static string Describe(CardIdentity id)
        {
            var parts = new List<string> { NmcGenerationRules.Nmc2HardwareCode };
            if (id.Model != null) parts.Add(id.Model);
            if (id.AosVersion != null) parts.Add("AOS " + id.AosVersion);
            if (id.ApplicationCode != null) parts.Add("application " + id.ApplicationCode + (id.ApplicationVersion != null ? " " + id.ApplicationVersion : ""));
            return string.Join(", ", parts);
        }

        private static string? First(params string?[] values)
        {
            foreach (var v in values)
            {
                var c = CardText.Clean(v);
                if (c != null) return c;
            }
            return null;
        }
    }
}
