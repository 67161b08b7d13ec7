using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Firmware
{
    /// <summary>
    /// An immutable snapshot of the packages the library knows, grouped by application type and
    /// hardware, with the latest of each group marked. The planner works from a snapshot so one run
    /// sees one consistent catalog.
    /// </summary>
    public sealed class FirmwareCatalog
    {
        private readonly List<FirmwarePackage> _packages;

        public FirmwareCatalog(IEnumerable<FirmwarePackage> packages)
        {
            // One entry per file name; a later duplicate replaces an earlier one.
            var byName = new Dictionary<string, FirmwarePackage>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in packages) byName[p.FileName] = p.Copy();
            _packages = byName.Values
                .OrderBy(p => p.ApplicationType).ThenBy(p => p.Hardware).ThenByDescending(p => p.Version)
                .ToList();
            foreach (var group in _packages.GroupBy(p => (p.ApplicationType, p.Hardware)))
            {
                var top = group.Max(p => p.Version);
                foreach (var p in group) p.IsLatest = p.Version == top;
            }
        }

        public static FirmwareCatalog Empty { get; } = new FirmwareCatalog(Array.Empty<FirmwarePackage>());

        public IReadOnlyList<FirmwarePackage> Packages => _packages;

        /// <summary>All versions for one application type and hardware, newest first.</summary>
        public IReadOnlyList<FirmwarePackage> For(ApplicationType applicationType, int hardware) =>
            _packages.Where(p => p.ApplicationType == applicationType && p.Hardware == hardware).ToList();

        public FirmwarePackage? Latest(ApplicationType applicationType, int hardware) =>
            _packages.FirstOrDefault(p => p.ApplicationType == applicationType && p.Hardware == hardware && p.IsLatest);

        public FirmwarePackage? Find(ApplicationType applicationType, int hardware, FirmwareVersion version) =>
            _packages.FirstOrDefault(p => p.ApplicationType == applicationType && p.Hardware == hardware && p.Version == version);

        /// <summary>Get-NmcFirmware's filter: optionally one application type and hardware, optionally only the latest of each group.</summary>
        public IReadOnlyList<FirmwarePackage> Query(ApplicationType? applicationType = null, int? hardware = null, bool latestOnly = false) =>
            _packages.Where(p => (applicationType == null || p.ApplicationType == applicationType) &&
                                 (hardware == null || p.Hardware == hardware) &&
                                 (!latestOnly || p.IsLatest)).ToList();

        public FirmwarePackage? FindByFileName(string fileName) =>
            _packages.FirstOrDefault(p => string.Equals(p.FileName, fileName, StringComparison.OrdinalIgnoreCase));
    }
}
