using System;
using System.Globalization;
using System.Text.RegularExpressions;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// A Secure NMC subscription SKU: SWNMC3SU-nY-DIGI (Smart-UPS family), SWNMC3PDU-nY-DIGI (rack PDU),
    /// FWENMC1P-STnY-DIGI (Easy UPS On-Line), n = 1..6 years. The family and term come from the text.
    /// </summary>
    public sealed class SubscriptionPartNumber : IEquatable<SubscriptionPartNumber>
    {
        private static readonly Regex Pattern = new Regex(
            @"^(?:(?<su>SWNMC3SU-)(?<y>\d)Y-DIGI|(?<pdu>SWNMC3PDU-)(?<y>\d)Y-DIGI|(?<eu>FWENMC1P-ST)(?<y>\d)Y-DIGI)$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private SubscriptionPartNumber(SubscriptionFamily family, int termYears)
        {
            Family = family;
            TermYears = termYears;
        }

        public SubscriptionFamily Family { get; }
        public int TermYears { get; }

        /// <summary>The canonical upper-case SKU, e.g. "SWNMC3PDU-3Y-DIGI".</summary>
        public string Text => Format(Family, TermYears);

        public static string Format(SubscriptionFamily family, int termYears)
        {
            string y = termYears.ToString(CultureInfo.InvariantCulture);
            switch (family)
            {
                case SubscriptionFamily.SmartUps: return "SWNMC3SU-" + y + "Y-DIGI";
                case SubscriptionFamily.RackPdu: return "SWNMC3PDU-" + y + "Y-DIGI";
                case SubscriptionFamily.EasyUpsOnline: return "FWENMC1P-ST" + y + "Y-DIGI";
                default: throw new ArgumentOutOfRangeException(nameof(family));
            }
        }

        public static SubscriptionPartNumber Create(SubscriptionFamily family, int termYears)
        {
            if (termYears < SubscriptionRules.MinTermYears || termYears > SubscriptionRules.MaxTermYears)
                throw new ArgumentOutOfRangeException(nameof(termYears), $"A Secure NMC subscription term is {SubscriptionRules.MinTermYears} to {SubscriptionRules.MaxTermYears} years, not {termYears}.");
            return new SubscriptionPartNumber(family, termYears);
        }

        public static bool TryParse(string? text, out SubscriptionPartNumber? part)
        {
            part = null;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var m = Pattern.Match(text!.Trim());
            if (!m.Success) return false;
            int years = m.Groups["y"].Value[0] - '0';
            if (years < SubscriptionRules.MinTermYears || years > SubscriptionRules.MaxTermYears) return false;
            var family = m.Groups["su"].Success ? SubscriptionFamily.SmartUps
                : m.Groups["pdu"].Success ? SubscriptionFamily.RackPdu
                : SubscriptionFamily.EasyUpsOnline;
            part = new SubscriptionPartNumber(family, years);
            return true;
        }

        public static SubscriptionPartNumber Parse(string? text) =>
            TryParse(text, out var part) ? part! : throw new FormatException(
                $"'{text}' is not a Secure NMC subscription part number. Expected SWNMC3SU-nY-DIGI (Smart-UPS family), " +
                $"SWNMC3PDU-nY-DIGI (rack PDU) or FWENMC1P-STnY-DIGI (Easy UPS On-Line), with n from 1 to 6 years.");

        public bool Equals(SubscriptionPartNumber? other) => other != null && other.Family == Family && other.TermYears == TermYears;
        public override bool Equals(object? obj) => Equals(obj as SubscriptionPartNumber);
        public override int GetHashCode() => ((int)Family * 31) + TermYears;
        public override string ToString() => Text;
    }
}
