using System;
using System.Text;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Licensing
{
    /// <summary>How the licensing service knows a card: serial number, MAC address and application type.</summary>
    public sealed class CardIdentity
    {
        public CardIdentity(string serial, string? mac, ApplicationType applicationType)
        {
            if (!IsValidSerial(serial?.Trim().ToUpperInvariant()))
                throw new ArgumentException($"'{serial}' is not a card serial number (letters, digits and '-', at most 64).", nameof(serial));
            Serial = serial!.Trim().ToUpperInvariant();
            Mac = string.IsNullOrWhiteSpace(mac) ? "" : NormalizeMac(mac) ??
                  throw new ArgumentException($"'{mac}' is not a MAC address (six hex pairs, e.g. 28:29:86:00:00:01) for card {Serial}.", nameof(mac));
            ApplicationType = applicationType;
        }

        public string Serial { get; }
        public string Mac { get; }
        public ApplicationType ApplicationType { get; }
        public SubscriptionFamily Family => SubscriptionFamilies.FamilyOf(ApplicationType);

        /// <summary>
        /// The identity of a queried inventory device; throws <see cref="LicensingException"/> (CardNotQueried)
        /// naming the device when the query has not yet found its serial number or application type.
        /// </summary>
        public static CardIdentity FromDevice(NmcDevice device)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            if (string.IsNullOrWhiteSpace(device.SerialNumber) || device.ApplicationType == null)
                throw new LicensingException(LicensingErrorCode.CardNotQueried,
                    $"Device {device.DisplayName} has not been queried yet (serial number or application type unknown), so its licence cannot be checked. Query the device first.",
                    device.SerialNumber);
            try
            {
                return new CardIdentity(device.SerialNumber!, device.MacAddress, device.ApplicationType.Value);
            }
            catch (ArgumentException e)
            {
                throw new LicensingException(LicensingErrorCode.CardNotQueried, $"Device {device.DisplayName}: {e.Message.Split('(')[0].Trim()}", device.SerialNumber, e);
            }
        }

        public static bool IsValidSerial(string? serial) => LicenceRecord.IsToken(serial, 64);

        /// <summary>"28 29 86 00 00 01", "28-29-86-00-00-01", "282986000001" → "28:29:86:00:00:01"; null when not a MAC.</summary>
        public static string? NormalizeMac(string? text)
        {
            if (text == null) return null;
            var hex = new StringBuilder();
            foreach (char c in text.Trim())
            {
                if (c == ' ' || c == ':' || c == '-' || c == '.') continue;
                if (!Uri.IsHexDigit(c)) return null;
                hex.Append(char.ToUpperInvariant(c));
            }
            if (hex.Length != 12) return null;
            var sb = new StringBuilder();
            for (int i = 0; i < 12; i += 2)
            {
                if (i > 0) sb.Append(':');
                sb.Append(hex[i]).Append(hex[i + 1]);
            }
            return sb.ToString();
        }

        public override string ToString() => Serial;
    }
}
