using System;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Firmware
{
    /// <summary>Where the library learned of a package.</summary>
    public enum FirmwareSource
    {
        /// <summary>An admin's file brought in with Import-NmcFirmware.</summary>
        Imported,
        /// <summary>Listed by the catalog service (downloaded on demand).</summary>
        CatalogService,
    }

    /// <summary>
    /// One firmware package the library knows: identity from the file name, integrity from size and
    /// SHA-256, plus what the catalog adds (release notes, bundled bootloader version).
    /// </summary>
    public sealed class FirmwarePackage
    {
        public FirmwarePackage(FirmwarePackageName name, long size, string sha256)
        {
            if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), $"Firmware package {name.FileName} has size {size}; a package is never empty.");
            if (!Sha256Hex.IsWellFormed(sha256)) throw new ArgumentException($"Firmware package {name.FileName}: '{sha256}' is not a SHA-256 (64 hex digits).", nameof(sha256));
            Name = name;
            Size = size;
            Sha256 = sha256.ToLowerInvariant();
        }

        public FirmwarePackageName Name { get; }
        public string FileName => Name.FileName;
        public int Hardware => Name.Hardware;
        public ApplicationType ApplicationType => Name.ApplicationType;
        public FirmwareVersion Version => Name.Version;
        public long Size { get; }
        public string Sha256 { get; }

        /// <summary>Link to the release notes (the seed links them beside the version menu).</summary>
        public string? ReleaseNotesUrl { get; set; }

        /// <summary>
        /// The bootloader version bundled in this package, when the catalog says; a card whose
        /// bootloader is older goes through "Updating Bootloader". Null = not known (imported files).
        /// </summary>
        public FirmwareVersion? BootloaderVersion { get; set; }

        public FirmwareSource Source { get; set; }
        public DateTimeOffset Added { get; set; }

        /// <summary>Highest version for its application type and hardware (set by the catalog).</summary>
        public bool IsLatest { get; internal set; }

        /// <summary>True when the file is in the cache folder (set by the library when listing).</summary>
        public bool IsCached { get; internal set; }

        /// <summary>True when this package would bring a card's bootloader forward.</summary>
        public bool UpdatesBootloader(string? deviceBootloaderVersion) =>
            BootloaderVersion.HasValue &&
            (!FirmwareVersion.TryParse(deviceBootloaderVersion, out var current) || current < BootloaderVersion.Value);

        public FirmwarePackage Copy() => (FirmwarePackage)MemberwiseClone();

        public override string ToString() => FileName;
    }
}
