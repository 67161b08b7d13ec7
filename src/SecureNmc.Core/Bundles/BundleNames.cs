using System;
using System.Linq;

namespace SecureNmc.Core.Bundles
{
    /// <summary>
    /// Part names are flat file names: no folders, no "..", no drive letters, no names Windows
    /// reserves. Where a part lands is decided by its kind, never by its name, so a hostile
    /// bundle cannot write outside the folders the importer chooses.
    /// </summary>
    public static class BundleNames
    {
        private static readonly string[] WindowsReserved =
            { "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9" };

        /// <summary>Null when <paramref name="name"/> is safe, otherwise why it is not.</summary>
        public static string? Problem(string name, int maxBytes = 200)
        {
            if (string.IsNullOrEmpty(name)) return "the part name is empty";
            if (System.Text.Encoding.UTF8.GetByteCount(name) > maxBytes) return $"the part name is longer than {maxBytes} bytes";
            if (name == "." || name == ".." || name.Contains("..")) return $"the part name '{Printable(name)}' contains '..' (a path traversal attempt)";
            if (name.IndexOfAny(new[] { '/', '\\', ':' }) >= 0) return $"the part name '{Printable(name)}' contains a path separator or drive letter";
            if (!name.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
                return $"the part name '{Printable(name)}' has characters outside A-Z, a-z, 0-9, '.', '_' and '-'";
            if (name[0] == '.' || name[0] == '-') return $"the part name '{Printable(name)}' starts with '{name[0]}'";
            var stem = name.Split('.')[0].ToUpperInvariant();
            if (WindowsReserved.Contains(stem)) return $"the part name '{Printable(name)}' is a reserved device name on Windows";
            return null;
        }

        private static string Printable(string name) =>
            new string(name.Take(80).Select(c => c < 32 || c > 126 ? '?' : c).ToArray());
    }
}
