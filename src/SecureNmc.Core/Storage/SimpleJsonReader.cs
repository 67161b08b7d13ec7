using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SecureNmc.Core.Storage
{
    /// <summary>
    /// A strict JSON parser (RFC 8259) producing plain values: objects as
    /// Dictionary&lt;string, object?&gt; (ordinal keys), arrays as List&lt;object?&gt;, strings,
    /// numbers as <see cref="JsonNumber"/>, bool and null. Errors carry line and column so a
    /// damaged file can be repaired by hand.
    /// </summary>
    internal sealed class SimpleJsonReader
    {
        private readonly string _text;
        private int _pos;
        private readonly StringBuilder _scratch = new StringBuilder(64);

        internal SimpleJsonReader(string text) => _text = text;

        /// <summary>True when the whole text has been consumed (after trailing whitespace).</summary>
        internal bool AtEnd { get { SkipWhitespace(); return _pos >= _text.Length; } }

        public static object? Parse(string text)
        {
            var reader = new SimpleJsonReader(text);
            reader.SkipWhitespace();
            var value = reader.ReadValue(0);
            reader.SkipWhitespace();
            if (reader._pos != text.Length) throw reader.Error("unexpected text after the end of the document");
            return value;
        }

        internal object? ReadValue(int depth)
        {
            if (depth > 64) throw Error("nesting is too deep");
            if (_pos >= _text.Length) throw Error("the file ends too early (truncated?)");
            char c = _text[_pos];
            switch (c)
            {
                case '{': return ReadObject(depth);
                case '[': return ReadArray(depth);
                case '"': return ReadString();
                case 't': ExpectWord("true"); return true;
                case 'f': ExpectWord("false"); return false;
                case 'n': ExpectWord("null"); return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                    throw Error($"unexpected character '{Printable(c)}'");
            }
        }

        private Dictionary<string, object?> ReadObject(int depth)
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            _pos++;
            SkipWhitespace();
            if (Peek() == '}') { _pos++; return result; }
            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"') throw Error("expected a property name in double quotes");
                var name = ReadString();
                SkipWhitespace();
                Expect(':');
                SkipWhitespace();
                if (result.ContainsKey(name)) throw Error($"the property \"{name}\" appears twice");
                result[name] = ReadValue(depth + 1);
                SkipWhitespace();
                char next = Peek();
                if (next == ',') { _pos++; continue; }
                if (next == '}') { _pos++; return result; }
                throw Error("expected ',' or '}'");
            }
        }

        private List<object?> ReadArray(int depth)
        {
            var result = new List<object?>();
            _pos++;
            SkipWhitespace();
            if (Peek() == ']') { _pos++; return result; }
            while (true)
            {
                SkipWhitespace();
                result.Add(ReadValue(depth + 1));
                SkipWhitespace();
                char next = Peek();
                if (next == ',') { _pos++; continue; }
                if (next == ']') { _pos++; return result; }
                throw Error("expected ',' or ']'");
            }
        }

        internal string ReadString()
        {
            _pos++; // opening quote
            int start = _pos;
            // Fast path: no escapes.
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == '"') { var s = _text.Substring(start, _pos - start); _pos++; return s; }
                if (c == '\\' || c < 0x20) break;
                _pos++;
            }
            _scratch.Clear();
            _scratch.Append(_text, start, _pos - start);
            while (true)
            {
                if (_pos >= _text.Length) throw Error("a string is not closed (truncated?)");
                char c = _text[_pos++];
                if (c == '"') return _scratch.ToString();
                if (c < 0x20) { _pos--; throw Error("a control character inside a string"); }
                if (c != '\\') { _scratch.Append(c); continue; }
                if (_pos >= _text.Length) throw Error("a string is not closed (truncated?)");
                char e = _text[_pos++];
                switch (e)
                {
                    case '"': _scratch.Append('"'); break;
                    case '\\': _scratch.Append('\\'); break;
                    case '/': _scratch.Append('/'); break;
                    case 'b': _scratch.Append('\b'); break;
                    case 'f': _scratch.Append('\f'); break;
                    case 'n': _scratch.Append('\n'); break;
                    case 'r': _scratch.Append('\r'); break;
                    case 't': _scratch.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 > _text.Length ||
                            !int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                            throw Error("a bad \\u escape");
                        _scratch.Append((char)code);
                        _pos += 4;
                        break;
                    default:
                        _pos--;
                        throw Error($"an unknown escape '\\{Printable(e)}'");
                }
            }
        }

        internal JsonNumber ReadNumber()
        {
            int start = _pos;
            if (Peek() == '-') _pos++;
            if (_pos >= _text.Length || !char.IsDigit(_text[_pos])) throw Error("a bad number");
            while (_pos < _text.Length && IsNumberChar(_text[_pos])) _pos++;
            return new JsonNumber(_text.Substring(start, _pos - start));
        }

        private static bool IsNumberChar(char c) => (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';

        internal void ExpectWord(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) throw Error($"unexpected text (expected {word})");
            _pos += word.Length;
        }

        internal void Expect(char c)
        {
            if (Peek() != c) throw Error($"expected '{c}'");
            _pos++;
        }

        internal char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        internal void SkipWhitespace()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') _pos++;
                else break;
            }
        }

        private static string Printable(char c) => c < 0x20 ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString();

        internal FormatException Error(string problem)
        {
            int line = 1, column = 1;
            for (int i = 0; i < _pos && i < _text.Length; i++)
            {
                if (_text[i] == '\n') { line++; column = 1; } else column++;
            }
            if (_pos >= _text.Length) problem += " at the end of the file";
            return new FormatException($"{problem} (line {line}, column {column})");
        }
    }

    /// <summary>A JSON number kept as its text until the reader knows which type it wants.</summary>
    internal readonly struct JsonNumber
    {
        public JsonNumber(string text) => Text = text;
        public string Text { get; }

        public bool TryGetInt64(out long value) => long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        public override string ToString() => Text;
    }
}
