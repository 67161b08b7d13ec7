using System;
using System.Collections.Generic;
using System.Globalization;

namespace SecureNmc.Core.Storage
{
    /// <summary>
    /// Streaming typed reads over <see cref="SimpleJsonReader"/>: objects are walked property by
    /// property and values converted in place, with no dictionary per object. This is what keeps
    /// loading 10,000 devices fast. Errors name the record and field, with line and column.
    /// </summary>
    internal sealed class JsonCursor
    {
        private readonly SimpleJsonReader _reader;

        public JsonCursor(string text) => _reader = new SimpleJsonReader(text);

        /// <summary>Walks an object: calls <paramref name="onProperty"/> with each name, positioned at its value, which it must consume.</summary>
        public void ReadObject(string where, Action<string> onProperty)
        {
            _reader.SkipWhitespace();
            if (_reader.Peek() != '{') throw _reader.Error($"{where} is not a JSON object");
            _reader.Expect('{');
            _reader.SkipWhitespace();
            if (_reader.Peek() == '}') { _reader.Expect('}'); return; }
            while (true)
            {
                _reader.SkipWhitespace();
                if (_reader.Peek() != '"') throw _reader.Error("expected a property name in double quotes");
                var name = _reader.ReadString();
                _reader.SkipWhitespace();
                _reader.Expect(':');
                _reader.SkipWhitespace();
                onProperty(name);
                _reader.SkipWhitespace();
                char next = _reader.Peek();
                if (next == ',') { _reader.Expect(','); continue; }
                if (next == '}') { _reader.Expect('}'); return; }
                throw _reader.Error("expected ',' or '}'");
            }
        }

        /// <summary>Walks an array: calls <paramref name="onItem"/> with each index, positioned at the item, which it must consume.</summary>
        public void ReadArray(string name, string where, Action<int> onItem)
        {
            if (_reader.Peek() != '[') throw _reader.Error($"\"{name}\" of {where} must be a list");
            _reader.Expect('[');
            _reader.SkipWhitespace();
            if (_reader.Peek() == ']') { _reader.Expect(']'); return; }
            for (int index = 0; ; index++)
            {
                _reader.SkipWhitespace();
                onItem(index);
                _reader.SkipWhitespace();
                char next = _reader.Peek();
                if (next == ',') { _reader.Expect(','); continue; }
                if (next == ']') { _reader.Expect(']'); return; }
                throw _reader.Error("expected ',' or ']'");
            }
        }

        public void Skip() => _reader.ReadValue(0);

        public void ExpectEnd()
        {
            if (!_reader.AtEnd) throw _reader.Error("unexpected text after the end of the document");
        }

        public string? String(string name, string where)
        {
            char c = _reader.Peek();
            if (c == 'n') { _reader.ExpectWord("null"); return null; }
            if (c != '"') throw Bad(name, where, "a string");
            return _reader.ReadString();
        }

        public long? Int64(string name, string where)
        {
            char c = _reader.Peek();
            if (c == 'n') { _reader.ExpectWord("null"); return null; }
            if (c == '-' || (c >= '0' && c <= '9'))
            {
                var number = _reader.ReadNumber();
                if (number.TryGetInt64(out long value)) return value;
            }
            throw Bad(name, where, "a whole number");
        }

        public bool? Boolean(string name, string where)
        {
            char c = _reader.Peek();
            if (c == 'n') { _reader.ExpectWord("null"); return null; }
            if (c == 't') { _reader.ExpectWord("true"); return true; }
            if (c == 'f') { _reader.ExpectWord("false"); return false; }
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

        public FormatException Error(string problem) => _reader.Error(problem);

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
