using System.Globalization;
using System.Text;

namespace SecureNmc.Core.Json
{
    /// <summary>
    /// The one JSON writer: streaming calls (BeginObject, Property...) for files written field by
    /// field, and <see cref="Write"/> for a <see cref="JsonValue"/> tree. Indented output puts one
    /// member per line so files diff well; an inline object keeps one record on one line (one device
    /// per line in inventory.json). Empty containers are written as [] and {}.
    /// </summary>
    internal sealed class JsonWriter
    {
        private readonly StringBuilder _text;
        private readonly bool _indented;
        private int _depth;
        private int _inlineFrom;
        private bool _needsComma;
        private bool _afterName;

        public JsonWriter(bool indented = true, int capacity = 4096)
        {
            _indented = indented;
            _text = new StringBuilder(capacity);
        }

        /// <summary>The tree as JSON text; indented text ends with a line break, as files should.</summary>
        public static string Write(JsonValue value, bool indented = false)
        {
            var writer = new JsonWriter(indented, 256);
            writer.Value(value);
            if (indented) writer._text.Append('\n');
            return writer.ToString();
        }

        public void BeginObject() { BeforeValue(); _text.Append('{'); _depth++; _needsComma = false; }
        public void EndObject() => End('}');

        /// <summary>An object on one line (one device per line: compact, and diffs show one line per changed device).</summary>
        public void BeginInlineObject() { BeginObject(); _inlineFrom = _depth; }
        public void EndInlineObject()
        {
            bool empty = !_needsComma;
            _depth--;
            _text.Append(empty || !_indented ? "}" : " }");
            _inlineFrom = 0;
            _needsComma = true;
        }

        public void BeginArray() { BeforeValue(); _text.Append('['); _depth++; _needsComma = false; }
        public void EndArray() => End(']');

        public void PropertyName(string name)
        {
            if (_needsComma) _text.Append(',');
            NewLine();
            AppendString(name);
            _text.Append(_indented ? ": " : ":");
            _needsComma = false;
            _afterName = true;
        }

        public void String(string? value)
        {
            BeforeValue();
            if (value == null) _text.Append("null"); else AppendString(value);
            _needsComma = true;
        }

        public void Number(long value) => Literal(value.ToString(CultureInfo.InvariantCulture));
        public void Boolean(bool value) => Literal(value ? "true" : "false");
        public void Null() => Literal("null");

        public void Property(string name, string? value) { PropertyName(name); String(value); }
        public void Property(string name, long value) { PropertyName(name); Number(value); }
        public void Property(string name, bool value) { PropertyName(name); Boolean(value); }

        /// <summary>Writes the property only when it has a value: keeps 10,000-device files small.</summary>
        public void OptionalProperty(string name, string? value) { if (value != null) Property(name, value); }

        /// <summary>Any tree value, numbers exactly as parsed or built.</summary>
        public void Value(JsonValue value)
        {
            switch (value)
            {
                case JsonBool b: Boolean(b.Value); break;
                case JsonNumber n: Literal(n.Text); break;
                case JsonString s: String(s.Value); break;
                case JsonArray a:
                    BeginArray();
                    foreach (var item in a.Items) Value(item);
                    EndArray();
                    break;
                case JsonObject o:
                    BeginObject();
                    foreach (var member in o.Members) { PropertyName(member.Key); Value(member.Value); }
                    EndObject();
                    break;
                default: Null(); break;
            }
        }

        public override string ToString() => _text.ToString();

        private void Literal(string text)
        {
            BeforeValue();
            _text.Append(text);
            _needsComma = true;
        }

        private void End(char close)
        {
            bool empty = !_needsComma;
            _depth--;
            if (!empty) NewLine();
            _text.Append(close);
            _needsComma = true;
        }

        private void BeforeValue()
        {
            if (_afterName) { _afterName = false; return; }
            if (_needsComma) _text.Append(',');
            if (_depth > 0) NewLine();
        }

        private void NewLine()
        {
            if (!_indented) return;
            if (_inlineFrom > 0 && _depth >= _inlineFrom) { _text.Append(' '); return; }
            _text.Append('\n');
            _text.Append(' ', _depth * 2);
        }

        /// <summary>Escapes what JSON requires, plus U+2028/U+2029 (line breaks to JavaScript).</summary>
        private void AppendString(string value)
        {
            _text.Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': _text.Append("\\\""); break;
                    case '\\': _text.Append("\\\\"); break;
                    case '\n': _text.Append("\\n"); break;
                    case '\r': _text.Append("\\r"); break;
                    case '\t': _text.Append("\\t"); break;
                    default:
                        if (c < 0x20 || c == '\u2028' || c == '\u2029')
                            _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else _text.Append(c);
                        break;
                }
            }
            _text.Append('"');
        }
    }
}
