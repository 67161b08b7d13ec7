using System;
using System.Collections.Generic;

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

        public object? Raw(string name) => _values.TryGetValue(name, out var v) ? v : null;

        public string? String(string name)
        {
            if (!_values.TryGetValue(name, out var v) || v == null) return null;
            return v as string ?? throw Bad(name, "a string");
        }

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

        private FormatException Bad(string name, string expected) =>
            new FormatException($"\"{name}\" of {_where} must be {expected}");
    }
}
