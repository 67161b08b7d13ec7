using System;
using System.Collections.Generic;
using SecureNmc.Core.Json;

namespace SecureNmc.Core.Storage
{
    /// <summary>
    /// Typed optional access to one parsed JSON object of a data file: a missing or null member reads
    /// as null, a mistyped one is an error that says which record and field is wrong.
    /// </summary>
    internal readonly struct JsonFields
    {
        private readonly JsonObject _values;
        private readonly string _where;

        public JsonFields(JsonValue? value, string where)
        {
            _values = value as JsonObject ?? throw new FormatException($"{where} is not a JSON object");
            _where = where;
        }

        public IEnumerable<string> Names
        {
            get { foreach (var member in _values.Members) yield return member.Key; }
        }

        /// <summary>The member as parsed; null when absent.</summary>
        public JsonValue? Raw(string name) => _values.TryGet(name, out var v) ? v : null;

        public string? String(string name)
        {
            if (!_values.TryGet(name, out var v) || v is JsonNull) return null;
            return v is JsonString s ? s.Value : throw Bad(name, "a string");
        }

        public long? Int64(string name)
        {
            if (!_values.TryGet(name, out var v) || v is JsonNull) return null;
            if (v is JsonNumber n && n.TryGetInt64(out long result)) return result;
            throw Bad(name, "a whole number");
        }

        public bool? Boolean(string name)
        {
            if (!_values.TryGet(name, out var v) || v is JsonNull) return null;
            return v is JsonBool b ? b.Value : throw Bad(name, "true or false");
        }

        private FormatException Bad(string name, string expected) =>
            new FormatException($"\"{name}\" of {_where} must be {expected}");
    }
}
