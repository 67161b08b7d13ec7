using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SecureNmc.Core.Json
{
    /// <summary>
    /// The one parser for untrusted JSON: strict RFC 8259 with bounds (<see cref="JsonLimits"/>: depth,
    /// document, string and number length), duplicate member names refused, and errors that name the
    /// problem with its line and column (and say "truncated?" when the text simply stops). Two ways in:
    /// <see cref="Parse"/> builds a <see cref="JsonValue"/> tree; <see cref="JsonCursor"/> walks the
    /// tokens directly (the 10,000-device inventory, without a tree per device).
    /// </summary>
    internal sealed class JsonReader
    {
        private readonly string _text;
        private readonly StringBuilder _scratch = new StringBuilder(64);
        private int _pos;

        internal JsonReader(string text, JsonLimits? limits = null)
        {
            _text = text ?? throw new ArgumentNullException(nameof(text));
            Limits = limits ?? JsonLimits.Default;
            if (text.Length > Limits.MaxDocumentChars)
                throw new JsonFormatException($"document is {text.Length} characters, more than the limit of {Limits.MaxDocumentChars}");
            if (text.Length > 0 && text[0] == '\uFEFF') _pos = 1;
        }

        internal JsonLimits Limits { get; }

        public static JsonValue Parse(string text, JsonLimits? limits = null)
        {
            var reader = new JsonReader(text, limits);
            reader.SkipWhitespace();
            var value = reader.ReadValue(0);
            reader.ExpectEnd();
            return value;
        }

        public static JsonObject ParseObject(string text, JsonLimits? limits = null) =>
            Parse(text, limits) as JsonObject ?? throw new JsonFormatException("the document must be a JSON object");

        /// <summary>True when only whitespace is left.</summary>
        internal bool AtEnd { get { SkipWhitespace(); return _pos >= _text.Length; } }

        internal void ExpectEnd()
        {
            if (!AtEnd) throw Error("unexpected text after the end of the document");
        }

        /// <summary>Any value, as a tree; <paramref name="depth"/> is how many containers enclose it.</summary>
        internal JsonValue ReadValue(int depth)
        {
            if (depth > Limits.MaxDepth) throw TooDeep();
            if (_pos >= _text.Length) throw Error("expected a value");
            char c = _text[_pos];
            switch (c)
            {
                case '{': return ReadObject(depth);
                case '[': return ReadArray(depth);
                case '"': return new JsonString(ReadString());
                case 't': ExpectLiteral("true"); return JsonBool.True;
                case 'f': ExpectLiteral("false"); return JsonBool.False;
                case 'n': ExpectLiteral("null"); return JsonNull.Instance;
                default:
                    if (c == '-' || IsDigit(c)) return new JsonNumber(ReadNumberText());
                    throw Error($"unexpected character '{Printable(c)}'");
            }
        }

        private JsonObject ReadObject(int depth)
        {
            var result = new JsonObject();
            ReadMembers(depth, name => result.AddParsed(name, ReadValue(depth + 1)), null);
            return result;
        }

        private JsonArray ReadArray(int depth)
        {
            var result = new JsonArray();
            ReadItems(depth, _ => result.Add(ReadValue(depth + 1)));
            return result;
        }

        /// <summary>
        /// Walks an object at the '{': for each member, calls <paramref name="onMember"/> positioned at its
        /// value, which it must consume. A name seen twice is refused before its value is read;
        /// <paramref name="seen"/> (cleared here) saves a set per object when the caller reuses one.
        /// </summary>
        internal void ReadMembers(int depth, Action<string> onMember, HashSet<string>? seen)
        {
            EnterContainer(depth);
            _pos++; // {
            SkipWhitespace();
            if (Peek() == '}') { _pos++; return; }
            seen ??= new HashSet<string>(StringComparer.Ordinal);
            seen.Clear();
            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"') throw Error("expected a member name in double quotes");
                int nameStart = _pos;
                string name = ReadString();
                if (!seen.Add(name)) { _pos = nameStart; throw Error($"duplicate member \"{JsonObject.Truncate(name)}\""); }
                SkipWhitespace();
                if (Peek() != ':') throw Error("expected ':' after a member name");
                _pos++;
                SkipWhitespace();
                onMember(name);
                SkipWhitespace();
                char c = Peek();
                if (c == ',') { _pos++; continue; }
                if (c == '}') { _pos++; return; }
                throw Error("expected ',' or '}' in an object");
            }
        }

        /// <summary>Walks an array at the '[': calls <paramref name="onItem"/> with each index, positioned at the item, which it must consume.</summary>
        internal void ReadItems(int depth, Action<int> onItem)
        {
            EnterContainer(depth);
            _pos++; // [
            SkipWhitespace();
            if (Peek() == ']') { _pos++; return; }
            for (int index = 0; ; index++)
            {
                SkipWhitespace();
                onItem(index);
                SkipWhitespace();
                char c = Peek();
                if (c == ',') { _pos++; continue; }
                if (c == ']') { _pos++; return; }
                throw Error("expected ',' or ']' in an array");
            }
        }

        private void EnterContainer(int depth)
        {
            if (depth > Limits.MaxDepth) throw TooDeep();
        }

        private JsonFormatException TooDeep() => Error($"nesting deeper than {Limits.MaxDepth} levels");

        /// <summary>A string at its opening quote.</summary>
        internal string ReadString()
        {
            _pos++; // opening quote
            int start = _pos;
            // Fast path: no escapes, the common case in SecureNmc's own files.
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == '"')
                {
                    CheckStringLength(_pos - start);
                    var s = _text.Substring(start, _pos - start);
                    _pos++;
                    return s;
                }
                if (c == '\\' || c < 0x20) break;
                _pos++;
            }
            CheckStringLength(_pos - start);
            _scratch.Clear();
            _scratch.Append(_text, start, _pos - start);
            while (true)
            {
                if (_pos >= _text.Length) throw Error("unterminated string");
                char c = _text[_pos];
                if (c == '"') { _pos++; return _scratch.ToString(); }
                if (c < 0x20) throw Error($"control character {Printable(c)} inside a string");
                _pos++;
                if (c != '\\') { _scratch.Append(c); }
                else
                {
                    if (_pos >= _text.Length) throw Error("unterminated string");
                    char e = _text[_pos];
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
                            if (_pos + 5 > _text.Length ||
                                !int.TryParse(_text.Substring(_pos + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                                throw Error("invalid \\u escape");
                            _scratch.Append((char)code);
                            _pos += 4;
                            break;
                        default: throw Error($"invalid escape '\\{Printable(e)}'");
                    }
                    _pos++;
                }
                CheckStringLength(_scratch.Length);
            }
        }

        private void CheckStringLength(int length)
        {
            if (length > Limits.MaxStringChars) throw Error($"string longer than {Limits.MaxStringChars} characters");
        }

        /// <summary>A number's text (RFC 8259 grammar: no leading zeros, no bare '-' or '.'), at its first character.</summary>
        internal string ReadNumberText()
        {
            int start = _pos;
            if (Peek() == '-') _pos++;
            if (Peek() == '0') _pos++;
            else if (IsDigit(Peek())) while (IsDigit(Peek())) _pos++;
            else throw Error("invalid number");
            if (Peek() == '.')
            {
                _pos++;
                if (!IsDigit(Peek())) throw Error("invalid number");
                while (IsDigit(Peek())) _pos++;
            }
            if (Peek() == 'e' || Peek() == 'E')
            {
                _pos++;
                if (Peek() == '+' || Peek() == '-') _pos++;
                if (!IsDigit(Peek())) throw Error("invalid number");
                while (IsDigit(Peek())) _pos++;
            }
            if (_pos - start > Limits.MaxNumberChars) { _pos = start; throw Error($"number longer than {Limits.MaxNumberChars} characters"); }
            return _text.Substring(start, _pos - start);
        }

        internal void ExpectLiteral(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) throw Error($"invalid literal (expected {word})");
            _pos += word.Length;
        }

        internal char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        internal void SkipWhitespace()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
                _pos++;
            }
        }

        /// <summary>
        /// The problem at the current place, with line and column (counted only now: errors are rare,
        /// reads are many). At the end of the text it says so, since a cut-off file is the usual cause.
        /// </summary>
        internal JsonFormatException Error(string problem)
        {
            int line = 1, column = 1;
            for (int i = 0; i < _pos && i < _text.Length; i++)
            {
                if (_text[i] == '\n') { line++; column = 1; } else column++;
            }
            if (_pos >= _text.Length) problem += " at the end of the document (truncated?)";
            return new JsonFormatException(problem, line, column);
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';
        private static string Printable(char c) => c < 0x20 || c > 0x7e ? $"U+{(int)c:X4}" : c.ToString();
    }
}
