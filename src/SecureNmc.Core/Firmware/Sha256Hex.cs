using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace SecureNmc.Core.Firmware
{
    /// <summary>SHA-256 as lower-case hex, the form the catalog stores and compares.</summary>
    internal static class Sha256Hex
    {
        public static string Of(Stream stream)
        {
            using (var sha = SHA256.Create())
                return ToHex(sha.ComputeHash(stream));
        }

        public static string Of(byte[] data)
        {
            using (var sha = SHA256.Create())
                return ToHex(sha.ComputeHash(data));
        }

        public static string OfFile(string path)
        {
            using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
                return Of(f);
        }

        public static string ToHex(byte[] hash)
        {
            var sb = new StringBuilder(hash.Length * 2);
            foreach (var b in hash) sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        public static bool IsWellFormed(string? hex)
        {
            if (hex == null || hex.Length != 64) return false;
            foreach (var c in hex)
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
            return true;
        }

        public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }
}
