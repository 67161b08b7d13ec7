using System;
using System.Collections.Generic;
using System.Globalization;

namespace SecureNmc.Core.Storage
{
    /// <summary>Typed access to one parsed JSON object, with errors that say which record and field is wrong.</summary>
    internal readonly struct JsonFields
    {
        private readonly Dictionary<string, object?> _values;
        private readonly string _where;

        public JsonFields(object? value, string where)
        {
            _values = value as Dictionary<string, object?> ?? throw new FormatException($"{where} is not a JSON object");
            _where = where;
        }

        public IEnumerable<string> Names => _values.Keys;

        public bool Has(string name) => _values.TryGetValue(name, out var v) && v != null;

        public object? Raw(string name) => _values.TryGetValue(name, out var v) ? v : null;

        public string? String(string name)
        {
            if (!_values.TryGetValue(name, out var v) || v == null) return null;
            return v as string ?? throw Bad(name, "a string");
        }

        public string RequiredString(string name) =>
            String(name) ?? throw new FormatException($"{_where} has no \"{name}\"");

        public long? Int64(string name)
        {
            if (!_values.TryGetValue(name, out var v) || v == null) return null;
            if (v is JsonNumber n && n.TryGetInt64(out long result)) return result;
            throw Bad(name, "a whole number");
        }

        public bool? Boolean(string name)
        {
            if (!_values.TryGetValue(name, out var v) || v == null) return null;
            return v is bool b ? b : throw Bad(name, "true or false");
        }

        public Guid? Guid(string name)
        {
            var s = String(name);
            if (s == null) return null;
            return System.Guid.TryParse(s, out var g) ? g : throw Bad(name, "a GUID");
        }

        public DateTimeOffset? Date(string name)
        {
            var s = String(name);
            if (s == null) return null;
            return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d) ? d : throw Bad(name, "a date (ISO 8601)");
        }

        public TEnum? Enum<TEnum>(string name) where TEnum : struct
        {
            var s = String(name);
            if (s == null) return null;
            // Names only: a number would silently map to whatever member has that value.
            if (s.Length > 0 && !char.IsDigit(s[0]) && s[0] != '-' && System.Enum.TryParse<TEnum>(s, ignoreCase: true, out var e)) return e;
            throw Bad(name, "one of " + string.Join(", ", System.Enum.GetNames(typeof(TEnum))));
        }

        public List<object?> Array(string name)
        {
            if (!_values.TryGetValue(name, out var v) || v == null) throw new FormatException($"{_where} has no \"{name}\" list");
            return v as List<object?> ?? throw Bad(name, "a list");
        }

        private FormatException Bad(string name, string expected) =>
            new FormatException($"\"{name}\" of {_where} must be {expected}");
    }
}
