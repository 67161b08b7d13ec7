using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Core.Devices
{
    /// <summary>
    /// What Get-NmcDevice selects. Each criterion left null/empty matches everything; criteria
    /// combine with AND, values within one criterion with OR.
    /// </summary>
    public sealed class DeviceFilter
    {
        /// <summary>Wildcard patterns matched against the display name OR the host.</summary>
        public IReadOnlyList<string>? Name { get; set; }

        /// <summary>Wildcard patterns matched against the host only.</summary>
        public IReadOnlyList<string>? Host { get; set; }

        /// <summary>Wildcard patterns matched against the site; a device without a site matches none.</summary>
        public IReadOnlyList<string>? Site { get; set; }

        /// <summary>Only the devices of this share of the fleet (<see cref="DevicePartition"/>); null = all.</summary>
        public DevicePartition? Partition { get; set; }

        /// <summary>True = only cards in flight at a worker (<see cref="NmcDevice.IsInFlight"/>); false = only those not; null = all.</summary>
        public bool? InFlight { get; set; }

        public IReadOnlyList<Guid>? Id { get; set; }
        public IReadOnlyList<DeviceStatus>? Status { get; set; }
        public IReadOnlyList<ApplicationType>? ApplicationType { get; set; }

        public bool IsEmpty => IsNullOrEmpty(Name) && IsNullOrEmpty(Host) && IsNullOrEmpty(Site) && Partition == null && InFlight == null && IsNullOrEmpty(Id) && IsNullOrEmpty(Status) && IsNullOrEmpty(ApplicationType);

        public IEnumerable<NmcDevice> Apply(IEnumerable<NmcDevice> devices)
        {
            var nameMatchers = Compile(Name);
            var hostMatchers = Compile(Host);
            var siteMatchers = Compile(Site);
            var ids = IsNullOrEmpty(Id) ? null : new HashSet<Guid>(Id!);
            var statuses = IsNullOrEmpty(Status) ? null : new HashSet<DeviceStatus>(Status!);
            var types = IsNullOrEmpty(ApplicationType) ? null : new HashSet<ApplicationType>(ApplicationType!);
            foreach (var device in devices)
            {
                if (nameMatchers != null && !nameMatchers.Any(m => m.IsMatch(device.DisplayName) || m.IsMatch(device.Host))) continue;
                if (hostMatchers != null && !hostMatchers.Any(m => m.IsMatch(device.Host))) continue;
                if (siteMatchers != null && (device.Site == null || !siteMatchers.Any(m => m.IsMatch(device.Site)))) continue;
                if (Partition != null && !Partition.Contains(device)) continue;
                if (InFlight != null && device.IsInFlight != InFlight.Value) continue;
                if (ids != null && !ids.Contains(device.Id)) continue;
                if (statuses != null && !statuses.Contains(device.Status)) continue;
                if (types != null && (device.ApplicationType == null || !types.Contains(device.ApplicationType.Value))) continue;
                yield return device;
            }
        }

        public bool Matches(NmcDevice device) => Apply(new[] { device }).Any();

        /// <summary>
        /// Name and Host values without wildcards that matched no device: Get-NmcDevice reports these as
        /// "not found" errors, as Get-Item does, while a wildcard that matches nothing is silent.
        /// </summary>
        public IReadOnlyList<string> UnmatchedLiterals(IEnumerable<NmcDevice> devices)
        {
            var list = devices as IReadOnlyCollection<NmcDevice> ?? devices.ToList();
            var missing = new List<string>();
            foreach (var pattern in (Name ?? Array.Empty<string>()).Where(p => !WildcardMatcher.ContainsWildcard(p)))
            {
                var m = new WildcardMatcher(pattern);
                if (!list.Any(d => m.IsMatch(d.DisplayName) || m.IsMatch(d.Host))) missing.Add(pattern);
            }
            foreach (var pattern in (Host ?? Array.Empty<string>()).Where(p => !WildcardMatcher.ContainsWildcard(p)))
            {
                var m = new WildcardMatcher(pattern);
                if (!list.Any(d => m.IsMatch(d.Host))) missing.Add(pattern);
            }
            return missing;
        }

        private static List<WildcardMatcher>? Compile(IReadOnlyList<string>? patterns) =>
            IsNullOrEmpty(patterns) ? null : patterns!.Where(p => p != null).Select(p => new WildcardMatcher(p)).ToList();

        private static bool IsNullOrEmpty<T>(IReadOnlyList<T>? list) => list == null || list.Count == 0;
    }
}
