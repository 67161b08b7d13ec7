using System;

namespace SecureNmc.Core.Devices
{
    /// <summary>
    /// The one way SecureNmc writes an application and its version for people: "SU 2.9.0.1", the
    /// application type as the SNS Tool and the device table show it (upper case), never the
    /// lower-case file code of package names ("su" in apc_hw21_su_2.9.0.1.nmc3).
    /// </summary>
    public static class ApplicationVersionText
    {
        /// <summary>"SU", "SUCAN", "RPDU2G".</summary>
        public static string Code(ApplicationType type) => type.ToString();

        public static string Format(ApplicationType type, FirmwareVersion version) => Code(type) + " " + version;

        /// <summary>Null unless both are known.</summary>
        public static string? Format(ApplicationType? type, FirmwareVersion? version) =>
            type.HasValue && version.HasValue ? Format(type.Value, version.Value) : null;

        /// <summary>
        /// Rewrites text stored by earlier versions ("su 2.5.0.6" in old journals) the current way;
        /// text that is not "&lt;application&gt; &lt;version&gt;" comes back unchanged.
        /// </summary>
        public static string? Normalize(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return text;
            var parts = text!.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !ApplicationTypeInfo.TryParse(parts[0], out var type) || !FirmwareVersion.TryParse(parts[1], out var version))
                return text;
            return Format(type, version);
        }
    }
}
