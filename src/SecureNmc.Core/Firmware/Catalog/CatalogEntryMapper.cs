using System;
using System.Globalization;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Firmware.Catalog
{
    /// <summary>Turns wire entries into packages, refusing any entry whose fields disagree with its file name.</summary>
    internal static class CatalogEntryMapper
    {
        public static bool TryToPackage(CatalogPackageEntry entry, out FirmwarePackage? package, out string? problem)
        {
            package = null;
            if (!FirmwarePackageName.TryParse(entry.FileName, out var name, out problem)) return false;
            var n = name!;
            if (entry.Hardware != n.Hardware)
            {
                problem = $"{n.FileName}: the entry says hardware {entry.Hardware} but the file name says {n.Hardware}.";
                return false;
            }
            if (!ApplicationTypeInfo.TryParse(entry.ApplicationType, out var app) || app != n.ApplicationType)
            {
                problem = $"{n.FileName}: the entry says application '{entry.ApplicationType}' but the file name says '{ApplicationTypeInfo.Get(n.ApplicationType).FileCode}'.";
                return false;
            }
            if (!FirmwareVersion.TryParse(entry.Version, out var version) || version != n.Version)
            {
                problem = $"{n.FileName}: the entry says version '{entry.Version}' but the file name says {n.Version}.";
                return false;
            }
            if (entry.Size <= 0)
            {
                problem = $"{n.FileName}: size {entry.Size} is not a valid package size.";
                return false;
            }
            if (!Sha256Hex.IsWellFormed(entry.Sha256))
            {
                problem = $"{n.FileName}: '{entry.Sha256}' is not a SHA-256 (64 hex digits).";
                return false;
            }
            FirmwareVersion? boot = null;
            if (!string.IsNullOrEmpty(entry.BootloaderVersion))
            {
                if (!FirmwareVersion.TryParse(entry.BootloaderVersion, out var b))
                {
                    problem = $"{n.FileName}: bootloader version '{entry.BootloaderVersion}' is not a version.";
                    return false;
                }
                boot = b;
            }
            var source = FirmwareSource.CatalogService;
            if (entry.Source != null && Enum.TryParse<FirmwareSource>(entry.Source, true, out var s)) source = s;
            DateTimeOffset.TryParse(entry.Added, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var added);
            package = new FirmwarePackage(n, entry.Size, entry.Sha256!)
            {
                ReleaseNotesUrl = string.IsNullOrWhiteSpace(entry.ReleaseNotesUrl) ? null : entry.ReleaseNotesUrl,
                BootloaderVersion = boot,
                Source = source,
                Added = added,
            };
            return true;
        }

        public static CatalogPackageEntry ToEntry(FirmwarePackage p, bool includeLocalFields) => new CatalogPackageEntry
        {
            FileName = p.FileName,
            Hardware = p.Hardware,
            ApplicationType = ApplicationTypeInfo.Get(p.ApplicationType).FileCode,
            Version = p.Version.ToString(),
            Size = p.Size,
            Sha256 = p.Sha256,
            ReleaseNotesUrl = p.ReleaseNotesUrl,
            BootloaderVersion = p.BootloaderVersion?.ToString(),
            Source = includeLocalFields ? p.Source.ToString() : null,
            Added = includeLocalFields ? p.Added.ToString("o", CultureInfo.InvariantCulture) : null,
        };
    }
}
