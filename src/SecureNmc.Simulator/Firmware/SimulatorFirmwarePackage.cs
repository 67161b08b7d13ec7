using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;

namespace SecureNmc.Simulator.Firmware
{
    /// <summary>
    /// The simulator's own <c>.nmc3</c> test package. Real vendor packages are signed and opaque to the
    /// product (it identifies them by name and hash); only simulated cards read this format:
    /// <code>
    ///   magic      8 bytes   "SNMC3PKG"
    ///   manifest   uint32 big-endian length + UTF-8 "key=value" lines (LF):
    ///              format=1, hardware=hw21, application=su, aos=2.5.0.8, application-version=2.5.0.6,
    ///              carries-bootloader=true|false, bootloader=1.5.1.1 (only when carried)
    ///   payload    uint32 big-endian length + bytes (stands in for the images)
    ///   integrity  32 bytes  SHA-256 of everything before it
    /// </code>
    /// </summary>
    public sealed class SimulatorFirmwarePackage
    {
        public static readonly byte[] Magic = Encoding.ASCII.GetBytes("SNMC3PKG");
        public const int FormatVersion = 1;
        public const int DefaultPayloadBytes = 64 * 1024;

        /// <param name="bootloaderVersion">The bootloader carried; null or "" (PowerShell's $null) for none.</param>
        public SimulatorFirmwarePackage(string hardwareCode, ApplicationType applicationType, string aosVersion, string applicationVersion, string? bootloaderVersion)
        {
            bootloaderVersion = OptionalText.NoneIfEmpty(bootloaderVersion);
            if (!FirmwareVersion.TryParse(aosVersion, out _)) throw new ArgumentException($"'{aosVersion}' is not a firmware version.", nameof(aosVersion));
            if (!FirmwareVersion.TryParse(applicationVersion, out _)) throw new ArgumentException($"'{applicationVersion}' is not a firmware version.", nameof(applicationVersion));
            if (bootloaderVersion != null && !FirmwareVersion.TryParse(bootloaderVersion, out _)) throw new ArgumentException($"'{bootloaderVersion}' is not a firmware version.", nameof(bootloaderVersion));
            if (string.IsNullOrWhiteSpace(hardwareCode) || hardwareCode.Any(c => !char.IsLetterOrDigit(c))) throw new ArgumentException("The hardware code must be letters and digits, such as hw21.", nameof(hardwareCode));
            HardwareCode = hardwareCode.ToLowerInvariant();
            ApplicationType = applicationType;
            AosVersion = aosVersion;
            ApplicationVersion = applicationVersion;
            BootloaderVersion = bootloaderVersion;
        }

        public string HardwareCode { get; }
        public ApplicationType ApplicationType { get; }
        public string AosVersion { get; }
        public string ApplicationVersion { get; }

        /// <summary>The bootloader version carried, or null when the package carries no bootloader.</summary>
        public string? BootloaderVersion { get; }

        public bool CarriesBootloader => BootloaderVersion != null;

        /// <summary>apc_hw21_su_2.5.0.6.nmc3: hardware, application code, application version.</summary>
        public string FileName => $"apc_{HardwareCode}_{ApplicationTypeInfo.Get(ApplicationType).FileCode}_{ApplicationVersion}.nmc3";

        /// <summary>
        /// Writes a package into <paramref name="directory"/> and returns its full path. A null or empty
        /// <paramref name="bootloaderVersion"/> means the package carries no bootloader.
        /// </summary>
        public static string Create(string directory, ApplicationType applicationType, string aosVersion, string applicationVersion,
                                    string? bootloaderVersion = null, string hardwareCode = NmcGenerationRules.Nmc3HardwareCode, int payloadBytes = DefaultPayloadBytes)
        {
            var package = new SimulatorFirmwarePackage(hardwareCode, applicationType, aosVersion, applicationVersion, bootloaderVersion);
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, package.FileName);
            File.WriteAllBytes(path, package.ToBytes(payloadBytes));
            return path;
        }

        /// <summary>The package bytes; the payload is deterministic filler derived from the manifest.</summary>
        public byte[] ToBytes(int payloadBytes = DefaultPayloadBytes)
        {
            if (payloadBytes < 0) throw new ArgumentOutOfRangeException(nameof(payloadBytes));
            var manifest = Encoding.UTF8.GetBytes(ManifestText());
            var payload = new byte[payloadBytes];
            using (var sha = SHA256.Create())
            {
                var block = sha.ComputeHash(manifest);
                for (int i = 0; i < payload.Length; i++)
                {
                    if (i % block.Length == 0 && i > 0) block = sha.ComputeHash(block);
                    payload[i] = block[i % block.Length];
                }
            }
            using var ms = new MemoryStream();
            ms.Write(Magic, 0, Magic.Length);
            WriteUInt32(ms, (uint)manifest.Length);
            ms.Write(manifest, 0, manifest.Length);
            WriteUInt32(ms, (uint)payload.Length);
            ms.Write(payload, 0, payload.Length);
            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(ms.ToArray());
                ms.Write(hash, 0, hash.Length);
            }
            return ms.ToArray();
        }

        private string ManifestText()
        {
            var sb = new StringBuilder();
            sb.Append("format=").Append(FormatVersion.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("hardware=").Append(HardwareCode).Append('\n');
            sb.Append("application=").Append(ApplicationTypeInfo.Get(ApplicationType).FileCode).Append('\n');
            sb.Append("aos=").Append(AosVersion).Append('\n');
            sb.Append("application-version=").Append(ApplicationVersion).Append('\n');
            sb.Append("carries-bootloader=").Append(CarriesBootloader ? "true" : "false").Append('\n');
            if (CarriesBootloader) sb.Append("bootloader=").Append(BootloaderVersion).Append('\n');
            return sb.ToString();
        }

        /// <summary>
        /// Reads and verifies a package held in memory. Returns null and a card-style reason when the bytes
        /// are not a package, are truncated, fail the integrity check or carry an invalid manifest. Never
        /// throws. The same checks as a card receiving the file (<see cref="SimulatorPackageReceiver"/>).
        /// </summary>
        public static SimulatorFirmwarePackage? TryRead(byte[] data, out string? problem)
        {
            using var receiver = new SimulatorPackageReceiver();
            if (data != null) receiver.Append(data, 0, data.Length);
            return receiver.Complete(out problem);
        }

        /// <summary>The package a verified manifest describes, or null and "the package manifest is damaged".</summary>
        internal static SimulatorFirmwarePackage? FromManifest(string manifestText, out string? problem)
        {
            problem = null;
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in manifestText.Split('\n'))
            {
                int eq = line.IndexOf('=');
                if (eq > 0) fields[line.Substring(0, eq).Trim()] = line.Substring(eq + 1).Trim();
            }
            string? Field(string key) => fields.TryGetValue(key, out var v) ? v : null;
            if (Field("format") != FormatVersion.ToString(CultureInfo.InvariantCulture) ||
                !ApplicationTypeInfo.TryParse(Field("application"), out var app) ||
                !FirmwareVersion.TryParse(Field("aos"), out _) || !FirmwareVersion.TryParse(Field("application-version"), out _) ||
                string.IsNullOrEmpty(Field("hardware")))
            {
                problem = SimulatorPackageReceiver.ManifestDamaged;
                return null;
            }
            var carries = string.Equals(Field("carries-bootloader"), "true", StringComparison.OrdinalIgnoreCase);
            var boot = carries ? Field("bootloader") : null;
            if (carries && !FirmwareVersion.TryParse(boot, out _))
            {
                problem = SimulatorPackageReceiver.ManifestDamaged;
                return null;
            }
            try
            {
                return new SimulatorFirmwarePackage(Field("hardware")!, app, Field("aos")!, Field("application-version")!, boot);
            }
            catch (ArgumentException)
            {
                problem = SimulatorPackageReceiver.ManifestDamaged;
                return null;
            }
        }

        private static void WriteUInt32(Stream s, uint v)
        {
            s.WriteByte((byte)(v >> 24));
            s.WriteByte((byte)(v >> 16));
            s.WriteByte((byte)(v >> 8));
            s.WriteByte((byte)v);
        }
    }
}
