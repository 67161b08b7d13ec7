using System.Collections.Generic;
using SecureNmc.Core.Devices;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Resolves -Device arguments of one command against one snapshot of the inventory (read once,
    /// not once per pipeline object: 10,000 piped devices must not mean 10,000 reads), without
    /// handing the same device out twice.
    /// </summary>
    internal sealed class DeviceArguments
    {
        private readonly IReadOnlyList<NmcDevice> _inventory;
        private readonly HashSet<System.Guid> _seen = new HashSet<System.Guid>();

        public DeviceArguments(IReadOnlyList<NmcDevice> inventory) => _inventory = inventory;

        /// <summary>Devices not handed out before; <paramref name="notFound"/> when a literal name/object matched nothing.</summary>
        public List<NmcDevice> Resolve(NmcDevicePipeBind argument, out bool notFound)
        {
            var matches = argument.Resolve(_inventory);
            notFound = matches.Count == 0 && !argument.IsPattern;
            var fresh = new List<NmcDevice>();
            foreach (var device in matches)
                if (_seen.Add(device.Id)) fresh.Add(device);
            return fresh;
        }
    }
}
