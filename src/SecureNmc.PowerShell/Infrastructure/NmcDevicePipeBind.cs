using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.Devices;

namespace SecureNmc.PowerShell
{
    /// <summary>
    /// Lets one parameter take a device object (from Get-NmcDevice / New-NmcDevice), a name or a
    /// host (wildcards allowed), or an inventory id. PowerShell converts the argument through the
    /// matching constructor, so `Remove-NmcDevice ups1`, `Get-NmcDevice lab-* | Remove-NmcDevice`
    /// and `Remove-NmcDevice $device` all bind.
    /// </summary>
    public sealed class NmcDevicePipeBind
    {
        public NmcDevicePipeBind(NmcDevice device) => Device = device ?? throw new ArgumentNullException(nameof(device));

        public NmcDevicePipeBind(string nameOrHost)
        {
            if (string.IsNullOrWhiteSpace(nameOrHost)) throw new ArgumentException("A device name or host cannot be empty.", nameof(nameOrHost));
            NameOrHost = nameOrHost.Trim();
        }

        public NmcDevicePipeBind(Guid id) => Id = id;

        /// <summary>A firmware update result (Invoke-NmcFirmwareUpdate) stands for the card it is about.</summary>
        public NmcDevicePipeBind(SecureNmc.Core.Updates.CardUpdateResult result) =>
            Id = (result ?? throw new ArgumentNullException(nameof(result))).DeviceId;

        public NmcDevice? Device { get; }
        public string? NameOrHost { get; }
        public Guid? Id { get; }

        /// <summary>True when the text has wildcards, so matching nothing is not an error.</summary>
        public bool IsPattern => NameOrHost != null && WildcardMatcher.ContainsWildcard(NameOrHost);

        /// <summary>The inventory devices this argument stands for (empty when none).</summary>
        public IReadOnlyList<NmcDevice> Resolve(IReadOnlyList<NmcDevice> inventory)
        {
            if (Device != null) return inventory.Where(d => d.Id == Device.Id).ToList();
            if (Id != null) return inventory.Where(d => d.Id == Id.Value).ToList();
            return new DeviceFilter { Name = new[] { NameOrHost! } }.Apply(inventory).ToList();
        }

        public override string ToString() => Device?.DisplayName ?? NameOrHost ?? Id.ToString();
    }
}
