using System;
using System.Collections.Generic;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>
    /// The application names firmware prints before "APP" in config.ini, event.txt/data.txt headers and
    /// the login banner ("; Smart-UPS APP v2.5.0.6"). Only "Smart-UPS" is confirmed by a public sample;
    /// the others are likely spellings, so matching also accepts the file code ("su") and the SNS Tool's
    /// display name. The CLI <c>about</c> module code is authoritative when available.
    /// </summary>
    public static class ApplicationHeaderNames
    {
        private static readonly (ApplicationType Type, string[] Names)[] Table =
        {
            (ApplicationType.SU, new[] { "Smart-UPS", "Smart-UPS & Matrix-UPS" }),
            (ApplicationType.SY, new[] { "Symmetra", "1-Phase Symmetra", "Symmetra 1-Phase" }),
            (ApplicationType.SUCAN, new[] { "Smart-UPS Ultra", "Smart-UPS CAN" }),
            (ApplicationType.RPDU2G, new[] { "Rack PDU", "RPDU 2G", "Rack PDU 2G" }),
            (ApplicationType.EU1P, new[] { "Easy UPS On-Line", "Easy UPS 1-Phase" }),
            (ApplicationType.EU3P, new[] { "Easy UPS 3-Phase", "Easy UPS 3S" }),
            (ApplicationType.PX, new[] { "Symmetra PX" }),
            (ApplicationType.SYPX, new[] { "Symmetra PX 250/500" }),
            (ApplicationType.EMGPX, new[] { "Galaxy", "Easy UPS 3-Phase Modular" }),
        };

        /// <summary>The name the simulator prints (and a card most likely prints) for <paramref name="type"/>.</summary>
        public static string For(ApplicationType type)
        {
            foreach (var entry in Table)
                if (entry.Type == type) return entry.Names[0];
            throw new ArgumentOutOfRangeException(nameof(type));
        }

        /// <summary>Recognises a printed application name, file code or display name; false for anything else.</summary>
        public static bool TryParse(string? name, out ApplicationType type)
        {
            type = default;
            var n = CardText.Clean(name);
            if (n == null) return false;
            if (ApplicationTypeInfo.TryParse(n, out type)) return true;
            foreach (var entry in Table)
                foreach (var candidate in entry.Names)
                    if (string.Equals(candidate, n, StringComparison.OrdinalIgnoreCase)) { type = entry.Type; return true; }
            foreach (var info in ApplicationTypeInfo.All)
                if (string.Equals(info.DisplayName, n, StringComparison.OrdinalIgnoreCase)) { type = info.Type; return true; }
            return false;
        }

        /// <summary>Every printed name, for tests and documentation.</summary>
        public static IEnumerable<(ApplicationType Type, string Name)> AllNames()
        {
            foreach (var entry in Table)
                foreach (var n in entry.Names) yield return (entry.Type, n);
        }
    }
}
