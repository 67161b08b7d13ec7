using System;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Json;

namespace SecureNmc.Core.Licensing.Contract
{
    /// <summary>Maps contract objects to and from JSON (both sides of the wire use these).</summary>
    internal static class ContractJson
    {
        public static JsonObject Card(CardIdentity card) => new JsonObject()
            .Set("serial", card.Serial)
            .Set("mac", card.Mac)
            .Set("applicationType", card.ApplicationType.ToString());

        public static CardIdentity ReadCard(JsonObject o)
        {
            string serial = o.GetString("serial");
            string? mac = o.GetOptionalString("mac");
            string typeText = o.GetString("applicationType");
            if (!ApplicationTypeInfo.TryParse(typeText, out var type))
                throw new FormatException($"Card {serial}: '{typeText}' is not an NMC3 application type (SU, SY, SUCAN, RPDU2G, EU1P, EU3P, PX, SYPX, EMGPX).");
            try { return new CardIdentity(serial, mac, type); }
            catch (ArgumentException e) { throw new FormatException(e.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0]); }
        }

        public static JsonObject Error(LicensingErrorCode code, string message) =>
            new JsonObject().Set("code", code.ToString()).Set("message", message);

        public static LicensingException ReadError(JsonObject error, string? serial = null)
        {
            string codeText = error.GetOptionalString("code") ?? "";
            if (!Enum.TryParse(codeText, out LicensingErrorCode code) || !Enum.IsDefined(typeof(LicensingErrorCode), code)) code = LicensingErrorCode.Unknown;
            return new LicensingException(code, error.GetOptionalString("message") ?? $"The licensing service reported {codeText}.", serial);
        }

        public static JsonObject Record(LicenceRecord r) => new JsonObject()
            .Set("format", LicenceRecord.FormatName)
            .Set("recordId", r.RecordId)
            .Set("recordNumber", r.RecordNumber)
            .Set("cardSerial", r.CardSerial)
            .Set("cardMac", r.CardMac)
            .Set("family", r.Family.ToString())
            .Set("applicationType", r.ApplicationType.ToString())
            .Set("kind", r.Kind.ToString())
            .Set("activationId", r.ActivationId)
            .Set("partNumber", r.PartNumber)
            .Set("termYears", r.TermYears)
            .Set("validFrom", LicensingDates.FormatDay(r.ValidFrom))
            .Set("termStartsOn", LicensingDates.FormatDay(r.TermStartsOn))
            .Set("expiresOn", LicensingDates.FormatDay(r.ExpiresOn))
            .Set("replaces", r.Replaces)
            .Set("issuedAt", LicensingDates.FormatInstant(r.IssuedAt))
            .Set("keyId", r.KeyId)
            .Set("signature", r.Signature);

        /// <summary>Reads a record's fields; says nothing about authenticity (see <see cref="LicenceVerifier"/>).</summary>
        public static LicenceRecord ReadRecord(JsonObject o)
        {
            if (o.GetString("format") != LicenceRecord.FormatName)
                throw new FormatException($"The licence record is not in the {LicenceRecord.FormatName} format.");
            return new LicenceRecord
            {
                RecordId = o.GetString("recordId"),
                RecordNumber = o.GetInt64("recordNumber"),
                CardSerial = o.GetString("cardSerial"),
                CardMac = o.GetString("cardMac"),
                Family = ParseEnum<SubscriptionFamily>(o.GetString("family"), "family"),
                ApplicationType = ParseEnum<ApplicationType>(o.GetString("applicationType"), "applicationType"),
                Kind = ParseEnum<SubscriptionKind>(o.GetString("kind"), "kind"),
                ActivationId = o.GetString("activationId"),
                PartNumber = o.GetString("partNumber"),
                TermYears = checked((int)o.GetInt64("termYears")),
                ValidFrom = LicensingDates.ParseDay(o.GetString("validFrom"), "validFrom"),
                TermStartsOn = LicensingDates.ParseDay(o.GetString("termStartsOn"), "termStartsOn"),
                ExpiresOn = LicensingDates.ParseDay(o.GetString("expiresOn"), "expiresOn"),
                Replaces = o.GetString("replaces"),
                IssuedAt = LicensingDates.ParseInstant(o.GetString("issuedAt"), "issuedAt"),
                KeyId = o.GetString("keyId"),
                Signature = o.GetString("signature"),
            };
        }

        public static T ParseEnum<T>(string text, string field) where T : struct
        {
            // Names only: Enum.TryParse would also accept numbers, which the contract never sends.
            if (text.Length > 0 && char.IsLetter(text[0]) && Enum.TryParse(text, false, out T value) && Enum.IsDefined(typeof(T), value)) return value;
            throw new FormatException($"The field {field} has an unknown value.");
        }
    }
}
