using System;
using System.Collections.Generic;
using System.Globalization;

namespace SecureNmc.Core.Json
{
    /// <summary>
    /// A parsed JSON value. The documents SecureNmc reads are small, so a tiny tree model is enough and
    /// keeps System.Text.Json / Newtonsoft out of the module (they conflict with PowerShell's own copies).
    /// </summary>
    internal abstract class JsonValue
    {
        public virtual string Describe => GetType().Name.Replace("Json", "").ToLowerInvariant();
    }

    internal sealed class JsonNull : JsonValue
    {
        public static readonly JsonNull Instance = new JsonNull();
        private JsonNull() { }
        public override string Describe => "null";
    }

    internal sealed class JsonBool : JsonValue
    {
        public static readonly JsonBool True = new JsonBool(true);
        public static readonly JsonBool False = new JsonBool(false);
        private JsonBool(bool value) => Value = value;
        public bool Value { get; }
        public static JsonBool Of(bool value) => value ? True : False;
        public override string Describe => "boolean";
    }

    internal sealed class JsonString : JsonValue
    {
        public JsonString(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));
        public string Value { get; }
        public override string Describe => "string";
    }

    /// <summary>Numbers keep their source text; the contract only uses integers.</summary>
    internal sealed class JsonNumber : JsonValue
    {
        public JsonNumber(string text) => Text = text;
        public JsonNumber(long value) => Text = value.ToString(CultureInfo.InvariantCulture);
        public string Text { get; }
        public override string Describe => "number";

        public bool TryGetInt64(out long value) =>
            long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    internal sealed class JsonArray : JsonValue
    {
        public List<JsonValue> Items { get; } = new List<JsonValue>();
        public JsonArray() { }
        public JsonArray(IEnumerable<JsonValue> items) => Items.AddRange(items);
        public void Add(JsonValue value) => Items.Add(value);
        public override string Describe => "array";
    }

    /// <summary>An object that keeps member order (for readable files) and refuses duplicate names.</summary>
    internal sealed class JsonObject : JsonValue
    {
        private readonly Dictionary<string, JsonValue> _byName = new Dictionary<string, JsonValue>(StringComparer.Ordinal);
        private readonly List<KeyValuePair<string, JsonValue>> _ordered = new List<KeyValuePair<string, JsonValue>>();

        public IReadOnlyList<KeyValuePair<string, JsonValue>> Members => _ordered;
        public override string Describe => "object";

        public bool Contains(string name) => _byName.ContainsKey(name);

        public JsonObject Set(string name, JsonValue? value)
        {
            value ??= JsonNull.Instance;
            if (_byName.ContainsKey(name))
            {
                _byName[name] = value;
                int index = _ordered.FindIndex(p => p.Key == name);
                _ordered[index] = new KeyValuePair<string, JsonValue>(name, value);
            }
            else
            {
                _byName.Add(name, value);
                _ordered.Add(new KeyValuePair<string, JsonValue>(name, value));
            }
            return this;
        }

        public JsonObject Set(string name, string? value) => Set(name, value == null ? (JsonValue)JsonNull.Instance : new JsonString(value));
        public JsonObject Set(string name, long value) => Set(name, new JsonNumber(value));
        public JsonObject Set(string name, bool value) => Set(name, JsonBool.Of(value));

        /// <summary>A member the reader parsed; it has already refused a repeated name.</summary>
        internal void AddParsed(string name, JsonValue value)
        {
            _byName.Add(name, value);
            _ordered.Add(new KeyValuePair<string, JsonValue>(name, value));
        }

        public bool TryGet(string name, out JsonValue value) => _byName.TryGetValue(name, out value!);

        /// <summary>A required string member; throws naming the member (never its value) when absent or mistyped.</summary>
        public string GetString(string name) =>
            TryGet(name, out var v) && v is JsonString s ? s.Value : throw Missing(name, "a string");

        public string? GetOptionalString(string name)
        {
            if (!TryGet(name, out var v) || v is JsonNull) return null;
            return v is JsonString s ? s.Value : throw Missing(name, "a string or null");
        }

        public long GetInt64(string name) =>
            TryGet(name, out var v) && v is JsonNumber n && n.TryGetInt64(out var l) ? l : throw Missing(name, "an integer");

        public bool GetOptionalBool(string name, bool fallback)
        {
            if (!TryGet(name, out var v) || v is JsonNull) return fallback;
            return v is JsonBool b ? b.Value : throw Missing(name, "true or false");
        }

        public JsonObject GetObject(string name) =>
            TryGet(name, out var v) && v is JsonObject o ? o : throw Missing(name, "an object");

        public JsonObject? GetOptionalObject(string name)
        {
            if (!TryGet(name, out var v) || v is JsonNull) return null;
            return v is JsonObject o ? o : throw Missing(name, "an object or null");
        }

        public JsonArray GetArray(string name) =>
            TryGet(name, out var v) && v is JsonArray a ? a : throw Missing(name, "an array");

        private static JsonFormatException Missing(string name, string expected) =>
            new JsonFormatException($"member \"{name}\" must be {expected}");

        internal static string Truncate(string s) => s.Length <= 40 ? s : s.Substring(0, 40) + "…";
    }
}
