using System;

namespace SecureNmc.Core.Json
{
    /// <summary>Fast path for the "o" format SecureNmc writes: 2026-01-21T16:08:12.0000000+01:00.</summary>
    internal static class RoundTripDate
    {
        public static bool TryParse(string s, out DateTimeOffset value)
        {
            value = default;
            if (s.Length != 33 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
                (s[27] != '+' && s[27] != '-') || s[30] != ':')
                return false;
            if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day) ||
                !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second) ||
                !Digits(s, 20, 7, out int ticks) || !Digits(s, 28, 2, out int offsetHours) || !Digits(s, 31, 2, out int offsetMinutes))
                return false;
            if (month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year == 0 ? 1 : year, month) || hour > 23 || minute > 59 || second > 59 ||
                offsetHours > 14 || offsetMinutes > 59 || year == 0)
                return false;
            var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (s[27] == '-') offset = offset.Negate();
            try
            {
                value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(ticks), offset);
                return true;
            }
            catch (ArgumentOutOfRangeException) { return false; }
        }

        private static bool Digits(string s, int start, int count, out int value)
        {
            value = 0;
            for (int i = start; i < start + count; i++)
            {
                char c = s[i];
                if (c < '0' || c > '9') return false;
                value = value * 10 + (c - '0');
            }
            return true;
        }
    }
}
