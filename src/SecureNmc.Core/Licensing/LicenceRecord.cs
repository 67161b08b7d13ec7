using System;
using System.Globalization;
using System.Text;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// One licence the service issued for one card. Every field except <see cref="Signature"/> is covered
    /// by the service's ECDSA P-256 signature over <see cref="CanonicalBytes"/>, so a record edited on disk
    /// (a later expiry, another card's serial) no longer verifies and is ignored.
    /// </summary>
    public sealed class LicenceRecord
    {
        public const string FormatName = "snmc-licence/1";

        /// <summary>Unique id the service gave this record (32 hex digits).</summary>
        public string RecordId { get; set; } = "";

        /// <summary>Issue order at the service: for one card the highest number is the current licence.</summary>
        public long RecordNumber { get; set; }

        /// <summary>Card serial number, upper case.</summary>
        public string CardSerial { get; set; } = "";

        /// <summary>Card MAC address as six upper-case hex pairs separated by ':'; empty when the service did not know it.</summary>
        public string CardMac { get; set; } = "";

        public SubscriptionFamily Family { get; set; }

        /// <summary>The card's application type when the licence was issued.</summary>
        public ApplicationType ApplicationType { get; set; }

        public SubscriptionKind Kind { get; set; }

        /// <summary>The Activation ID of a purchased subscription; empty for the included one.</summary>
        public string ActivationId { get; set; } = "";

        /// <summary>The SKU of a purchased subscription (e.g. SWNMC3SU-3Y-DIGI); empty for the included one.</summary>
        public string PartNumber { get; set; } = "";

        public int TermYears { get; set; }

        /// <summary>First covered day: the activation day, or the purchase day for an included subscription.</summary>
        public DateTime ValidFrom { get; set; }

        /// <summary>The day the term was counted from: ValidFrom, or the previous expiry day for a renewal.</summary>
        public DateTime TermStartsOn { get; set; }

        /// <summary>Expiry day (first day not covered) = TermStartsOn + TermYears years.</summary>
        public DateTime ExpiresOn { get; set; }

        /// <summary>RecordId of the record this one replaced (included subscription, or renewed subscription); empty if none.</summary>
        public string Replaces { get; set; } = "";

        public DateTimeOffset IssuedAt { get; set; }

        /// <summary>Identifies the signing key (first 8 bytes of SHA-256 of its public point, hex).</summary>
        public string KeyId { get; set; } = "";

        /// <summary>Base64 IEEE P1363 (r || s) ECDSA P-256 SHA-256 signature; not part of the canonical bytes.</summary>
        public string Signature { get; set; } = "";

        public LicenceRecord Clone() => (LicenceRecord)MemberwiseClone();

        public SubscriptionState StateOn(DateTime today) => SubscriptionRules.StateOn(Kind, ValidFrom, ExpiresOn, today);

        /// <summary>
        /// The signed bytes: the format name then one "name=value" line per field in a fixed order, UTF-8,
        /// '\n' line ends. Values are checked first so no value can smuggle a line break or '='-trick in.
        /// </summary>
        public byte[] CanonicalBytes()
        {
            Validate();
            var sb = new StringBuilder();
            sb.Append(FormatName).Append('\n');
            Line(sb, "recordId", RecordId);
            Line(sb, "recordNumber", RecordNumber.ToString(CultureInfo.InvariantCulture));
            Line(sb, "cardSerial", CardSerial);
            Line(sb, "cardMac", CardMac);
            Line(sb, "family", Family.ToString());
            Line(sb, "applicationType", ApplicationType.ToString());
            Line(sb, "kind", Kind.ToString());
            Line(sb, "activationId", ActivationId);
            Line(sb, "partNumber", PartNumber);
            Line(sb, "termYears", TermYears.ToString(CultureInfo.InvariantCulture));
            Line(sb, "validFrom", LicensingDates.FormatDay(ValidFrom));
            Line(sb, "termStartsOn", LicensingDates.FormatDay(TermStartsOn));
            Line(sb, "expiresOn", LicensingDates.FormatDay(ExpiresOn));
            Line(sb, "replaces", Replaces);
            Line(sb, "issuedAt", LicensingDates.FormatInstant(IssuedAt));
            Line(sb, "keyId", KeyId);
            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        private static void Line(StringBuilder sb, string name, string value) => sb.Append(name).Append('=').Append(value).Append('\n');

        /// <summary>Checks every field's shape and the term arithmetic; throws naming the field.</summary>
        public void Validate()
        {
            Require(IsToken(RecordId, 64), "recordId");
            Require(RecordNumber > 0, "recordNumber");
            Require(CardIdentity.IsValidSerial(CardSerial), "cardSerial");
            Require(CardMac.Length == 0 || CardIdentity.NormalizeMac(CardMac) == CardMac, "cardMac");
            Require(Enum.IsDefined(typeof(SubscriptionFamily), Family), "family");
            Require(Enum.IsDefined(typeof(ApplicationType), ApplicationType), "applicationType");
            Require(SubscriptionFamilies.FamilyOf(ApplicationType) == Family, "family (does not match applicationType)");
            Require(Enum.IsDefined(typeof(SubscriptionKind), Kind), "kind");
            Require(IsToken(KeyId, 64), "keyId");
            Require(Replaces.Length == 0 || IsToken(Replaces, 64), "replaces");
            Require(TermYears >= SubscriptionRules.MinTermYears && TermYears <= SubscriptionRules.MaxTermYears, "termYears");
            if (Kind == SubscriptionKind.Purchased)
            {
                Require(IsToken(ActivationId, 64), "activationId");
                Require(SubscriptionPartNumber.TryParse(PartNumber, out var part) && part!.Text == PartNumber
                        && part.Family == Family && part.TermYears == TermYears, "partNumber");
            }
            else
            {
                Require(ActivationId.Length == 0 && PartNumber.Length == 0 && TermYears == SubscriptionRules.IncludedTermYears, "kind (an included subscription has no Activation ID and a 1-year term)");
            }
            Require(ValidFrom == ValidFrom.Date && TermStartsOn == TermStartsOn.Date && ExpiresOn == ExpiresOn.Date, "dates (must be whole days)");
            Require(ExpiresOn == SubscriptionRules.TermEnd(TermStartsOn, TermYears), "expiresOn (must be termStartsOn + termYears)");
            Require(ValidFrom < ExpiresOn, "validFrom (must be before expiresOn)");
        }

        private static void Require(bool ok, string field)
        {
            if (!ok) throw new FormatException($"The licence record's {field} is missing or invalid.");
        }

        /// <summary>Letters, digits and '-' only, 1..max characters: nothing that could break a canonical line.</summary>
        internal static bool IsToken(string? s, int max)
        {
            if (string.IsNullOrEmpty(s) || s!.Length > max) return false;
            foreach (char c in s)
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
            return true;
        }

        public override string ToString() =>
            $"{Kind} {Family} licence for card {CardSerial}, valid {LicensingDates.FormatDay(ValidFrom)} until {LicensingDates.FormatDay(ExpiresOn)}";
    }
}
