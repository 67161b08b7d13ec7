using System;
using System.Globalization;
using System.Linq;

namespace SecureNmc.Core.Devices
{
    /// <summary>
    /// An NMC firmware version: "2.5.0.6" on NMC3, "6.9.6" or "v5.1.3" on NMC2. Numeric parts
    /// compare as numbers, a missing part counts as 0 (2.5 == 2.5.0.0).
    /// </summary>
    public readonly struct FirmwareVersion : IComparable<FirmwareVersion>, IEquatable<FirmwareVersion>
    {
        private readonly int[]? _parts;

        private FirmwareVersion(int[] parts) => _parts = parts;

        public int Major => Part(0);
        public int Minor => Part(1);
        public int Build => Part(2);
        public int Revision => Part(3);

        private int Part(int i) => _parts != null && i < _parts.Length ? _parts[i] : 0;

        public static FirmwareVersion Parse(string text) =>
            TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a firmware version (expected digits separated by dots, such as 2.5.0.6).");

        public static bool TryParse(string? text, out FirmwareVersion version)
        {
            version = default;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var t = text!.Trim();
            if (t.StartsWith("v", StringComparison.OrdinalIgnoreCase)) t = t.Substring(1);
            var pieces = t.Split('.');
            if (pieces.Length < 1 || pieces.Length > 4) return false;
            var parts = new int[pieces.Length];
            for (int i = 0; i < pieces.Length; i++)
            {
                if (pieces[i].Length == 0 || pieces[i].Length > 6 || !pieces[i].All(c => c >= '0' && c <= '9')) return false;
                parts[i] = int.Parse(pieces[i], NumberStyles.None, CultureInfo.InvariantCulture);
            }
            version = new FirmwareVersion(parts);
            return true;
        }

        public bool IsEmpty => _parts == null;

        public int CompareTo(FirmwareVersion other)
        {
            for (int i = 0; i < 4; i++)
            {
                int c = Part(i).CompareTo(other.Part(i));
                if (c != 0) return c;
            }
            return 0;
        }

        public bool Equals(FirmwareVersion other) => CompareTo(other) == 0;
        public override bool Equals(object? obj) => obj is FirmwareVersion v && Equals(v);
        public override int GetHashCode() => (Major * 397) ^ (Minor * 31) ^ (Build * 7) ^ Revision;
        public override string ToString() => _parts == null ? "" : string.Join(".", _parts);

        public static bool operator <(FirmwareVersion a, FirmwareVersion b) => a.CompareTo(b) < 0;
        public static bool operator >(FirmwareVersion a, FirmwareVersion b) => a.CompareTo(b) > 0;
        public static bool operator <=(FirmwareVersion a, FirmwareVersion b) => a.CompareTo(b) <= 0;
        public static bool operator >=(FirmwareVersion a, FirmwareVersion b) => a.CompareTo(b) >= 0;
        public static bool operator ==(FirmwareVersion a, FirmwareVersion b) => a.Equals(b);
        public static bool operator !=(FirmwareVersion a, FirmwareVersion b) => !a.Equals(b);
    }
}
