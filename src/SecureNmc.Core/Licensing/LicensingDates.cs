using System;
using System.Globalization;

namespace SecureNmc.Core.Licensing
{
    /// <summary>The contract's date forms: days as yyyy-MM-dd, instants as UTC ISO 8601 with 'Z'.</summary>
    public static class LicensingDates
    {
        public static string FormatDay(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        public static DateTime ParseDay(string text, string field)
        {
            if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
            throw new FormatException($"The field {field} must be a date in the form yyyy-MM-dd.");
        }

        public static string FormatInstant(DateTimeOffset instant) =>
            instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public static DateTimeOffset ParseInstant(string text, string field)
        {
            if (DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
                return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
            throw new FormatException($"The field {field} must be a UTC time in the form yyyy-MM-ddTHH:mm:ssZ.");
        }

        /// <summary>The UTC calendar day of an instant: subscriptions are counted in UTC days everywhere.</summary>
        public static DateTime UtcDay(DateTimeOffset instant) => instant.UtcDateTime.Date;
    }
}
