using System;
using System.Collections.Generic;
using System.Globalization;

namespace SecureNmc.Core.Json
{
    /// <summary>
    /// Streaming typed reads over <see cref="JsonReader"/>: objects are walked member by member and
    /// values converted in place, with no tree per object. This is what keeps loading 10,000 devices
    /// fast. The reader's limits and checks (duplicate names included) apply; errors name the record
    /// and field, with line and column.
    /// </summary>
    internal sealed class JsonCursor
    {
        private readonly JsonReader _reader;

        /// <summary>One name set per nesting level, reused by every object at that level.</summary>
        private readonly List<HashSet<string>> _seenNames = new List<HashSet<string>>();
        private int _depth;

        public JsonCursor(string text, JsonLimits? limits = null)
        {
            _reader = new JsonReader(text, limits);
            _reader.SkipWhitespace();
        }

        /// <summary>Walks an object: calls <paramref name="onProperty"/> with each name, positioned at its value, which it must consume.</summary>
        public void ReadObject(string where, Action<string> onProperty)
        {
            _reader.SkipWhitespace();
            if (_reader.Peek() != '{') throw _reader.Error($"{where} is not a JSON object");
            int depth = _depth;
            while (_seenNames.Count <= depth) _seenNames.Add(new HashSet<string>(StringComparer.Ordinal));
            var seen = _seenNames[depth];
            Nested(() => _reader.ReadMembers(depth, onProperty, seen));
        }

        /// <summary>Walks an array: calls <paramref name="onItem"/> with each index, positioned at the item, which it must consume.</summary>
        public void ReadArray(string name, string where, Action<int> onItem)
        {
            if (_reader.Peek() != '[') throw Bad(name, where, "a list");
            int depth = _depth;
            Nested(() => _reader.ReadItems(depth, onItem));
        }

        /// <summary>Reads and drops a value this version does not know (a field from a later version).</summary>
        public void Skip() => _reader.ReadValue(_depth);

        public void ExpectEnd() => _reader.ExpectEnd();

        public string? String(string name, string where)
        {
            char c = _reader.Peek();
            if (c == 'n') { _reader.ExpectLiteral("null"); return null; }
            if (c != '"') throw Bad(name, where, "a string");
            return _reader.ReadString();
        }

        public long? Int64(string name, string where)
        {
            char c = _reader.Peek();
            if (c == 'n') { _reader.ExpectLiteral("null"); return null; }
            if (c == '-' || (c >= '0' && c <= '9'))
            {
                var text = _reader.ReadNumberText();
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)) return value;
            }
            throw Bad(name, where, "a whole number");
        }

        public bool? Boolean(string name, string where)
        {
            char c = _reader.Peek();
            if (c == 'n') { _reader.ExpectLiteral("null"); return null; }
            if (c == 't') { _reader.ExpectLiteral("true"); return true; }
            if (c == 'f') { _reader.ExpectLiteral("false"); return false; }
            throw Bad(name, where, "true or false");
        }

        public Guid? Guid(string name, string where)
        {
            var s = String(name, where);
            if (s == null) return null;
            return System.Guid.TryParse(s, out var g) ? g : throw Bad(name, where, "a GUID");
        }

        public DateTimeOffset? Date(string name, string where)
        {
            var s = String(name, where);
            if (s == null) return null;
            if (RoundTripDate.TryParse(s, out var fast)) return fast;
            return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d) ? d : throw Bad(name, where, "a date (ISO 8601)");
        }

        public TEnum? Enum<TEnum>(string name, string where) where TEnum : struct, Enum
        {
            var s = String(name, where);
            if (s == null) return null;
            if (EnumNames<TEnum>.ByName.TryGetValue(s, out var value)) return value;
            throw Bad(name, where, "one of " + string.Join(", ", System.Enum.GetNames(typeof(TEnum))));
        }

        /// <summary>A problem found at the current place (line and column included).</summary>
        public FormatException Error(string problem) => _reader.Error(problem);

        private void Nested(Action read)
        {
            _depth++;
            try { read(); }
            finally { _depth--; }
        }

        private FormatException Bad(string name, string where, string expected) => _reader.Error($"\"{name}\" of {where} must be {expected}");

        /// <summary>Names only, any case: a number would silently map to whatever member has that value.</summary>
        private static class EnumNames<TEnum> where TEnum : struct, Enum
        {
            public static readonly Dictionary<string, TEnum> ByName = Build();

            private static Dictionary<string, TEnum> Build()
            {
                var map = new Dictionary<string, TEnum>(StringComparer.OrdinalIgnoreCase);
                foreach (TEnum value in System.Enum.GetValues(typeof(TEnum))) map[value.ToString()] = value;
                return map;
            }
        }
    }
}
