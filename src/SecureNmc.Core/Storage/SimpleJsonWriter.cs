using System;
using System.Globalization;
using System.Text;

namespace SecureNmc.Core.Storage
{
    /// <summary>
    /// A minimal indented JSON writer for SecureNmc's own files (System.Text.Json and Newtonsoft
    /// clash with the copies PowerShell loads). Writes one property per line so files diff well.
    /// </summary>
    internal sealed class SimpleJsonWriter
    {
        private readonly StringBuilder _text;
        private int _depth;
        private bool _needsComma;

        public SimpleJsonWriter(int capacity = 4096) => _text = new StringBuilder(capacity);

        public void BeginObject() { BeforeValue(); _text.Append('{'); _depth++; _needsComma = false; }
        public void EndObject() { _depth--; NewLine(); _text.Append('}'); _needsComma = true; }
        /// <summary>An object on one line (one device per line: compact, and diffs show one line per changed device).</summary>
        public void BeginInlineObject() { BeforeValue(); _text.Append('{'); _depth++; _inlineFrom = _depth; _needsComma = false; }
        public void EndInlineObject() { _depth--; _text.Append(" }"); _inlineFrom = 0; _needsComma = true; }

        private int _inlineFrom;

        public void BeginArray() { BeforeValue(); _text.Append('['); _depth++; _needsComma = false; }
        public void EndArray() { _depth--; NewLine(); _text.Append(']'); _needsComma = true; }

        public void PropertyName(string name)
        {
            if (_needsComma) _text.Append(',');
            NewLine();
            AppendString(name);
            _text.Append(": ");
            _needsComma = false;
            _afterName = true;
        }

        private bool _afterName;

        public void String(string? value)
        {
            BeforeValue();
            if (value == null) _text.Append("null"); else AppendString(value);
            _needsComma = true;
        }

        public void Number(long value) { BeforeValue(); _text.Append(value.ToString(CultureInfo.InvariantCulture)); _needsComma = true; }
        public void Boolean(bool value) { BeforeValue(); _text.Append(value ? "true" : "false"); _needsComma = true; }
        public void Null() { BeforeValue(); _text.Append("null"); _needsComma = true; }

        public void Property(string name, string? value) { PropertyName(name); String(value); }
        public void Property(string name, long value) { PropertyName(name); Number(value); }
        public void Property(string name, bool value) { PropertyName(name); Boolean(value); }

        /// <summary>Writes the property only when it has a value: keeps 10,000-device files small.</summary>
        public void OptionalProperty(string name, string? value) { if (value != null) Property(name, value); }

        public override string ToString() => _text.ToString();

        private void BeforeValue()
        {
            if (_afterName) { _afterName = false; return; }
            if (_needsComma) _text.Append(',');
            if (_depth > 0) NewLine();
        }

        private void NewLine()
        {
            if (_inlineFrom > 0 && _depth >= _inlineFrom) { _text.Append(' '); return; }
            _text.Append('\n');
            _text.Append(' ', _depth * 2);
        }

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
