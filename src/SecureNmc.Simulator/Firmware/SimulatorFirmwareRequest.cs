using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;

namespace SecureNmc.Simulator.Firmware
{
    /// <summary>
    /// What New-NmcSimulatorFirmware asks for: simulator test packages (.nmc3) of one version for some
    /// application types, written into an existing folder. All checks live here, each problem naming the
    /// bad value, so the cmdlet only binds parameters. Writing is idempotent: a file that already holds
    /// exactly the package is left as it is, and a different file of the same name (a real download, say)
    /// is never overwritten unless asked.
    /// </summary>
    public sealed class SimulatorFirmwareRequest
    {
        /// <summary>The folder the packages go into; it must exist.</summary>
        public string Folder { get; set; } = "";

        /// <summary>The application version, four numbers such as 2.9.0.2 (the version in the file name).</summary>
        public string ApplicationVersion { get; set; } = "";

        /// <summary>The AOS version; null or "" = the application version.</summary>
        public string? AosVersion { get; set; }

        /// <summary>The bootloader the packages carry; null or "" = none.</summary>
        public string? BootloaderVersion { get; set; }

        /// <summary>The hardware code in the file name and manifest; NMC3 cards are hw21.</summary>
        public string HardwareCode { get; set; } = NmcGenerationRules.Nmc3HardwareCode;

        public int PayloadBytes { get; set; } = SimulatorFirmwarePackage.DefaultPayloadBytes;

        /// <summary>Every problem with the request (versions, hardware, folder), each naming the value; empty when it can be written.</summary>
        public IReadOnlyList<string> Validate()
        {
            var problems = new List<string>();
            if (!TryNormalizeVersion(ApplicationVersion, out _)) problems.Add(NotAVersion("Version", ApplicationVersion));
            if (OptionalText.NoneIfEmpty(AosVersion) is string aos && !TryNormalizeVersion(aos, out _)) problems.Add(NotAVersion("AosVersion", aos));
            if (OptionalText.NoneIfEmpty(BootloaderVersion) is string boot && !TryNormalizeVersion(boot, out _)) problems.Add(NotAVersion("BootloaderVersion", boot));
            if (string.IsNullOrWhiteSpace(HardwareCode) || !HardwareCode.All(char.IsLetterOrDigit))
                problems.Add($"-Hardware '{HardwareCode}' is not a hardware code: use letters and digits, such as {NmcGenerationRules.Nmc3HardwareCode} (NMC3).");
            if (PayloadBytes < 0) problems.Add($"The payload size cannot be negative ({PayloadBytes}).");
            if (string.IsNullOrWhiteSpace(Folder)) problems.Add("-Path is empty: give the folder the packages go into.");
            else if (File.Exists(Folder)) problems.Add($"-Path '{Folder}' is a file, not a folder: give the folder the packages go into.");
            else if (!Directory.Exists(Folder)) problems.Add($"The folder '{Folder}' does not exist: create it first (New-Item -ItemType Directory), or give an existing folder.");
            return problems;
        }

        /// <summary>
        /// The application type named by <paramref name="text"/> (SU, rpdu2g, ...); otherwise false and a
        /// problem naming the text and the valid types. NMC2 cards ("sumx") and devices never queried
        /// (no application type) get their own advice.
        /// </summary>
        public static bool TryParseApplicationType(string? text, out ApplicationType type, out string? problem)
        {
            problem = null;
            if (ApplicationTypeInfo.TryParse(text, out type)) return true;
            var names = string.Join(", ", ApplicationTypeInfo.All.Select(a => a.Type.ToString()));
            if (string.IsNullOrWhiteSpace(text))
                problem = $"No application type given (a device that was never queried has none): run Update-NmcDevice first, or name one of {names}.";
            else if (text!.Trim().StartsWith("sumx", StringComparison.OrdinalIgnoreCase))
                problem = $"'{text.Trim()}' is an NMC2 application: simulator packages are for NMC3 cards only ({names}).";
            else
                problem = $"'{text.Trim()}' is not an NMC3 application type. Use one of {names}.";
            return false;
        }

        /// <summary>The package this request makes for <paramref name="type"/>; call <see cref="Validate"/> first.</summary>
        public SimulatorFirmwarePackage PackageFor(ApplicationType type)
        {
            ThrowIfInvalid();
            TryNormalizeVersion(ApplicationVersion, out var app);
            var aos = OptionalText.NoneIfEmpty(AosVersion) is string a && TryNormalizeVersion(a, out var aosText) ? aosText : app;
            var boot = OptionalText.NoneIfEmpty(BootloaderVersion) is string b && TryNormalizeVersion(b, out var bootText) ? bootText : null;
            return new SimulatorFirmwarePackage(HardwareCode.Trim(), type, aos, app, boot);
        }

        /// <summary>The full path the package for <paramref name="type"/> goes to.</summary>
        public string PathFor(ApplicationType type) => Path.Combine(Path.GetFullPath(Folder), PackageFor(type).FileName);

        /// <summary>
        /// Writes the package for <paramref name="type"/>. A file already holding exactly these bytes is kept
        /// (<see cref="SimulatorFirmwareWrite.AlreadyPresent"/>); a different file of that name is replaced only
        /// with <paramref name="overwrite"/>, otherwise <see cref="IOException"/> names it.
        /// </summary>
        public SimulatorFirmwareWrite Write(ApplicationType type, bool overwrite)
        {
            var package = PackageFor(type);
            var path = Path.Combine(Path.GetFullPath(Folder), package.FileName);
            var bytes = package.ToBytes(PayloadBytes);
            if (File.Exists(path))
            {
                if (File.ReadAllBytes(path).SequenceEqual(bytes)) return new SimulatorFirmwareWrite(path, alreadyPresent: true);
                if (!overwrite)
                    throw new IOException($"'{path}' already exists and is not this simulator package (a real download, or one with another payload). " +
                                          "Use -Force to replace it, or write the test packages to another folder.");
            }
            File.WriteAllBytes(path, bytes);
            return new SimulatorFirmwareWrite(path, alreadyPresent: false);
        }

        private void ThrowIfInvalid()
        {
            var problems = Validate();
            if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        }

        /// <summary>NMC3 versions are four numbers (2.9.0.2); the text written is the canonical form.</summary>
        private static bool TryNormalizeVersion(string? text, out string normalized)
        {
            normalized = "";
            var trimmed = (text ?? "").Trim();
            if (trimmed.Split('.').Length != 4 || !trimmed.All(c => c == '.' || (c >= '0' && c <= '9')) || !FirmwareVersion.TryParse(trimmed, out var version))
                return false;
            normalized = version.ToString();
            return true;
        }

        private static string NotAVersion(string parameter, string? text) =>
            $"-{parameter} '{text}' is not an NMC3 firmware version: use four numbers separated by dots, such as 2.9.0.2.";
    }

    /// <summary>One package written (or found already in place) by <see cref="SimulatorFirmwareRequest.Write"/>.</summary>
    public sealed class SimulatorFirmwareWrite
    {
        public SimulatorFirmwareWrite(string path, bool alreadyPresent)
        {
            Path = path;
            AlreadyPresent = alreadyPresent;
        }

        public string Path { get; }

        /// <summary>True when the folder already held exactly this package and nothing was written.</summary>
        public bool AlreadyPresent { get; }
    }
}
