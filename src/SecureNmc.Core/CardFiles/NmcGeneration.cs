using System;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>Which Network Management Card family a card belongs to.</summary>
    public enum NmcGeneration
    {
        Unknown = 0,
        /// <summary>NMC2 (hw05): AOS 5.x-7.x, modules bootmon / aos / sumx. Outside the Secure NMC System.</summary>
        Nmc2,
        /// <summary>NMC3 (hw21): AOS 1.x-3.x, modules boot / aos / application, one .nmc3 package.</summary>
        Nmc3,
    }

    /// <summary>The clues that tell NMC2 from NMC3, strongest first.</summary>
    public static class NmcGenerationRules
    {
        public const string Nmc3HardwareCode = "hw21";
        public const string Nmc2HardwareCode = "hw05";

        private static readonly string[] Nmc3Models = { "AP9640", "AP9641", "AP9643", "AP9544", "AP9547" };
        private static readonly string[] Nmc2Models = { "AP9630", "AP9631", "AP9635", "AP9537", "AP9630CH", "AP9631CH", "AP9635CH" };

        public static NmcGeneration FromHardwareCode(string? code) =>
            string.Equals(code, Nmc3HardwareCode, StringComparison.OrdinalIgnoreCase) ? NmcGeneration.Nmc3 :
            string.Equals(code, Nmc2HardwareCode, StringComparison.OrdinalIgnoreCase) ? NmcGeneration.Nmc2 : NmcGeneration.Unknown;

        /// <summary>Standalone card part numbers; embedded cards report other model names and give Unknown here.</summary>
        public static NmcGeneration FromModel(string? model)
        {
            var m = CardText.Clean(model);
            if (m == null) return NmcGeneration.Unknown;
            foreach (var candidate in Nmc3Models) if (m.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)) return NmcGeneration.Nmc3;
            foreach (var candidate in Nmc2Models) if (m.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)) return NmcGeneration.Nmc2;
            return NmcGeneration.Unknown;
        }

        /// <summary>"bootmon" and "sumx" only exist on NMC2; "boot" only on NMC3.</summary>
        public static NmcGeneration FromModuleName(string? name)
        {
            if (string.Equals(name, "bootmon", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "sumx", StringComparison.OrdinalIgnoreCase))
                return NmcGeneration.Nmc2;
            if (string.Equals(name, "boot", StringComparison.OrdinalIgnoreCase)) return NmcGeneration.Nmc3;
            return NmcGeneration.Unknown;
        }

        /// <summary>AOS 5.x-7.x is NMC2, 1.x-3.x NMC3 (the weakest clue: NMC1 also ran AOS 3.x).</summary>
        public static NmcGeneration FromAosVersion(string? version)
        {
            if (!FirmwareVersion.TryParse(version, out var v)) return NmcGeneration.Unknown;
            if (v.Major >= 5 && v.Major <= 7) return NmcGeneration.Nmc2;
            if (v.Major >= 1 && v.Major <= 3) return NmcGeneration.Nmc3;
            return NmcGeneration.Unknown;
        }
    }
}
