using System;
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
            @"^apc_hw(?<hw>[0-9]{1,3})_(?<app>[a-z0-9]+)_(?<ver>[0-9]{1,6}(\.[0-9]{1,6}){0,3})\.nmc3$",
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
            var version = FirmwareVersion.Parse(m.Groups["ver"].Value);
            var hardware = int.Parse(m.Groups["hw"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            name = new FirmwarePackageName(bare, hardware, app, version);
            return true;
        }

        public static FirmwarePackageName Parse(string fileName) =>
            TryParse(fileName, out var name, out var problem) ? name! : throw new FormatException(problem);

        public override string ToString() => FileName;
    }
}
