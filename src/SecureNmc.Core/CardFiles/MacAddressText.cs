using System.Text;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>Normalises the many ways cards print a MAC ("28 29 86 00 00 01", "28-29-86-00-00-01", "282986000001").</summary>
    public static class MacAddressText
    {
        /// <summary>"28:29:86:00:00:01" (upper case), or null when the text does not hold exactly six hex pairs.</summary>
        public static string? Normalize(string? text)
        {
            if (text == null) return null;
            var hex = new StringBuilder(12);
            foreach (char c in text)
            {
                if (IsHex(c)) hex.Append(char.ToUpperInvariant(c));
                else if (c == ' ' || c == ':' || c == '-' || c == '.' || c == '\t') continue;
                else return null;
                if (hex.Length > 12) return null;
            }
            if (hex.Length != 12) return null;
            var result = new StringBuilder(17);
            for (int i = 0; i < 12; i += 2)
            {
                if (i > 0) result.Append(':');
                result.Append(hex[i]).Append(hex[i + 1]);
            }
            return result.ToString();
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
