using System;
using System.Linq;

namespace SecureNmc.Core.Devices
{
    /// <summary>
    /// A <see cref="DeviceStatus"/> as people read and type it: it prints as the SNS Tool's wording
    /// ("Update Complete"), sorts by that wording, and equals that wording, the enum name or the enum
    /// value. PowerShell shows the Status of every emitted object as one of these, so
    /// <c>Where-Object Status -eq 'Update Error'</c>, <c>Group-Object Status</c>, <c>Sort-Object Status</c>
    /// and <c>Export-Csv</c> all use the words the table shows, while scripts that compare with the
    /// enum (<c>-eq 'UpdateError'</c>, <c>[DeviceStatus]::UpdateError</c>) keep working.
    /// </summary>
    public readonly struct DeviceStatusLabel : IEquatable<DeviceStatusLabel>, IComparable<DeviceStatusLabel>, IComparable
    {
        public DeviceStatusLabel(DeviceStatus code) => Code = code;

        /// <summary>The status for code (switch, comparisons with the enum, JSON written by the module).</summary>
        public DeviceStatus Code { get; }

        /// <summary>The SNS wording, e.g. "Ready for Update".</summary>
        public string Text => Code.ToText();

        public override string ToString() => Text;

        /// <summary>The SNS wording or the enum name, any case; PowerShell converts strings with this.</summary>
        public static DeviceStatusLabel Parse(string text)
        {
            if (DeviceStatusText.TryParse(text, out var status)) return new DeviceStatusLabel(status);
            throw new FormatException($"'{text}' is not a device status. Use one of: {KnownTexts}.");
        }

        /// <summary>Every status in the SNS wording, quoted, for error messages.</summary>
        public static string KnownTexts => string.Join(", ", DeviceStatusText.All.Select(s => "'" + s.ToText() + "'"));

        public static bool TryParse(string? text, out DeviceStatusLabel label)
        {
            var ok = DeviceStatusText.TryParse(text, out var status);
            label = new DeviceStatusLabel(status);
            return ok;
        }

        public bool Equals(DeviceStatusLabel other) => Code == other.Code;

        /// <summary>Equal to the same status as a label, an enum value or its text (wording or enum name, any case).</summary>
        public override bool Equals(object? obj)
        {
            switch (obj)
            {
                case DeviceStatusLabel label: return Equals(label);
                case DeviceStatus status: return Code == status;
                case string text: return DeviceStatusText.TryParse(text, out var parsed) && parsed == Code;
                default: return false;
            }
        }

        public override int GetHashCode() => Code.GetHashCode();

        /// <summary>Alphabetical by the wording, the order a person expects of a sorted Status column.</summary>
        public int CompareTo(DeviceStatusLabel other) => string.Compare(Text, other.Text, StringComparison.OrdinalIgnoreCase);

        public int CompareTo(object? obj)
        {
            switch (obj)
            {
                case null: return 1;
                case DeviceStatusLabel label: return CompareTo(label);
                case DeviceStatus status: return CompareTo(new DeviceStatusLabel(status));
                case string text: return TryParse(text, out var parsed) ? CompareTo(parsed) : string.Compare(Text, text, StringComparison.OrdinalIgnoreCase);
                default: throw new ArgumentException($"A device status cannot be compared with {obj.GetType().Name}.", nameof(obj));
            }
        }

        public static bool operator ==(DeviceStatusLabel left, DeviceStatusLabel right) => left.Equals(right);
        public static bool operator !=(DeviceStatusLabel left, DeviceStatusLabel right) => !left.Equals(right);

        public static implicit operator DeviceStatusLabel(DeviceStatus status) => new DeviceStatusLabel(status);
        public static implicit operator DeviceStatus(DeviceStatusLabel label) => label.Code;
    }
}
