using System;
using System.Linq;
using System.Globalization;
using System.Text.RegularExpressions;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Firmware
{
    /// <summary>
    /// What an NMC3 package's file name says about it: <c>apc_hw21_su_2.5.0.6.nmc3</c> is hardware
    /// platform 21 (NMC3), application <c>su</c>, version 2.5.0.6. The contents are opaque (a signed
    /// vendor package), so the name plus the SHA-256 of the bytes is all the product relies on.
    /// </summary>
    public sealed class FirmwarePackageName
    {
        public const string Extension = ".nmc3";

        private static readonly Regex Pattern = new Regex(
            @"^apc_hw(?<hw>[0-9]{1,3})_(?<app>[a-z0-9]+)_(?<ver>[0-9]{1,6}(\.[0-9]{1,6}){0,5})\.nmc3$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private FirmwarePackageName(string fileName, int hardware, ApplicationType applicationType, FirmwareVersion version)
        {
            FileName = fileName;
            Hardware = hardware;
            ApplicationType = applicationType;
            Version = version;
        }

        public string FileName { get; }

        /// <summary>The <c>hwNN</c> platform code: 21 = NMC3 (05 = NMC2, outside the Secure NMC System).</summary>
        public int Hardware { get; }

        public ApplicationType ApplicationType { get; }
        public FirmwareVersion Version { get; }

        /// <summary>The canonical name for a package: lower case, two-digit hardware code.</summary>
        public static string Format(int hardware, ApplicationType applicationType, FirmwareVersion version) =>
            string.Format(CultureInfo.InvariantCulture, "apc_hw{0:00}_{1}_{2}{3}",
                hardware, ApplicationTypeInfo.Get(applicationType).FileCode, version, Extension);

        /// <summary>The hwNN code of the NMC3 platform, the only one the Secure NMC System updates.</summary>
        public const int Nmc3Hardware = 21;

        public static bool TryParse(string? fileName, out FirmwarePackageName? name, out string? problem)
        {
            name = null;
            problem = null;
            if (string.IsNullOrWhiteSpace(fileName))
            {
                problem = "The file name is empty.";
                return false;
            }
            var bare = System.IO.Path.GetFileName(fileName!.Trim());
            var m = Pattern.Match(bare);
            if (!m.Success)
            {
                problem = $"'{bare}' is not an NMC3 firmware package name (expected apc_hw<NN>_<application>_<version>.nmc3, such as apc_hw21_su_2.5.0.6.nmc3).";
                return false;
            }
            var appCode = m.Groups["app"].Value;
            if (!ApplicationTypeInfo.TryParse(appCode, out var app))
            {
                problem = $"'{bare}' names application '{appCode}', which is not one of the nine NMC3 application types (su, sy, sucan, rpdu2g, eu1p, eu3p, px, sypx, emgpx).";
                return false;
            }
            var hardware = int.Parse(m.Groups["hw"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            if (hardware != Nmc3Hardware)
            {
                problem = hardware == 5
                    ? $"'{bare}' is for hw05, the NMC2 platform, which is outside the Secure NMC System; only hw21 (NMC3) packages can be imported."
                    : $"'{bare}' names hardware hw{hardware:00}, which is not the NMC3 platform (hw21).";
                return false;
            }
            var versionText = m.Groups["ver"].Value;
            var parts = versionText.Split('.');
            // Every NMC3 release is four numbers (2.5.0.6); a shorter or all-zero version is no release.
            if (parts.Length != 4 || parts.All(part => part.Trim('0').Length == 0))
            {
                problem = $"'{bare}' names version {versionText}, which is not an NMC3 release version (four numbers such as 2.5.0.6, not all zero).";
                return false;
            }
            var version = FirmwareVersion.Parse(versionText);
            name = new FirmwarePackageName(bare, hardware, app, version);
            return true;
        }

        public static FirmwarePackageName Parse(string fileName) =>
            TryParse(fileName, out var name, out var problem) ? name! : throw new FormatException(problem);

        public override string ToString() => FileName;
    }
}
