using System;
using System.Globalization;
using System.Text;

namespace SecureNmc.Core.Licensing.Json
{
    /// <summary>Limits that stop a hostile or broken document from exhausting memory or the stack.</summary>
    internal sealed class JsonLimits
    {
        public int MaxDepth { get; set; } = 32;
        public int MaxDocumentChars { get; set; } = 64 * 1024 * 1024;
        public int MaxStringChars { get; set; } = 1024 * 1024;
        public int MaxNumberChars { get; set; } = 40;

        public static JsonLimits Default => new JsonLimits();
    }

    /// <summary>A strict RFC 8259 parser with bounds (depth, document, string and number length).</summary>
    internal sealed class JsonReader
    {
        private readonly string _text;
        private readonly JsonLimits _limits;
        private int _pos;
        private int _line = 1;

        private JsonReader(string text, JsonLimits limits)
        {
            _text = text;
            _limits = limits;
        }

        public static JsonValue Parse(string text, JsonLimits? limits = null)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            limits ??= JsonLimits.Default;
            if (text.Length > limits.MaxDocumentChars)
                throw new JsonFormatException($"document is {text.Length} characters, more than the limit of {limits.MaxDocumentChars}");
            var reader = new JsonReader(text, limits);
            if (reader._text.Length > 0 && reader._text[0] == '\uFEFF') reader._pos = 1;
            reader.SkipWhitespace();
            var value = reader.ReadValue(0);
            reader.SkipWhitespace();
            if (reader._pos != reader._text.Length) throw reader.Error("unexpected text after the end of the document");
            return value;
        }

        public static JsonObject ParseObject(string text, JsonLimits? limits = null) =>
            Parse(text, limits) as JsonObject ?? throw new JsonFormatException("the document must be a JSON object");

        private JsonValue ReadValue(int depth)
        {
            if (depth > _limits.MaxDepth) throw Error($"nesting deeper than {_limits.MaxDepth} levels");
            if (_pos >= _text.Length) throw Error("unexpected end of document");
            char c = _text[_pos];
            switch (c)
            {
                case '{': return ReadObject(depth);
                case '[': return ReadArray(depth);
                case '"': return new JsonString(ReadString());
                case 't': Expect("true"); return JsonBool.True;
                case 'f': Expect("false"); return JsonBool.False;
                case 'n': Expect("null"); return JsonNull.Instance;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                    throw Error($"unexpected character '{Printable(c)}'");
            }
        }

        private JsonObject ReadObject(int depth)
        {
            var result = new JsonObject();
            _pos++; // {
            SkipWhitespace();
            if (Peek() == '}') { _pos++; return result; }
            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"') throw Error("expected a member name in double quotes");
                string name = ReadString();
                SkipWhitespace();
                if (Peek() != ':') throw Error("expected ':' after a member name");
                _pos++;
                SkipWhitespace();
                result.AddParsed(name, ReadValue(depth + 1), _line);
                SkipWhitespace();
                char c = Peek();
                _pos++;
                if (c == '}') return result;
                if (c != ',') throw Error("expected ',' or '}' in an object");
            }
        }

        private JsonArray ReadArray(int depth)
        {
            var result = new JsonArray();
            _pos++; // [
            SkipWhitespace();
            if (Peek() == ']') { _pos++; return result; }
            while (true)
            {
                SkipWhitespace();
                result.Add(ReadValue(depth + 1));
                SkipWhitespace();
                char c = Peek();
                _pos++;
                if (c == ']') return result;
                if (c != ',') throw Error("expected ',' or ']' in an array");
            }
        }

        private string ReadString()
        {
            _pos++; // opening quote
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length) throw Error("unterminated string");
                char c = _text[_pos++];
                if (c == '"') return sb.ToString();
                if (c < 0x20) throw Error("control character inside a string");
                if (c == '\\')
                {
                    if (_pos >= _text.Length) throw Error("unterminated escape");
                    char e = _text[_pos++];
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            if (_pos + 4 > _text.Length ||
                                !int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                                throw Error("invalid \\u escape");
                            sb.Append((char)code);
                            _pos += 4;
                            break;
                        default: throw Error($"invalid escape '\\{Printable(e)}'");
                    }
                }
                else
                {
                    sb.Append(c);
                }
                if (sb.Length > _limits.MaxStringChars) throw Error($"string longer than {_limits.MaxStringChars} characters");
            }
        }

        private JsonNumber ReadNumber()
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
            if (_pos - start > _limits.MaxNumberChars) throw Error($"number longer than {_limits.MaxNumberChars} characters");
            return new JsonNumber(_text.Substring(start, _pos - start));
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) throw Error("invalid literal");
            _pos += word.Length;
        }

        private void SkipWhitespace()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == '\n') _line++;
                else if (c != ' ' && c != '\t' && c != '\r') return;
                _pos++;
            }
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';
        private static bool IsDigit(char c) => c >= '0' && c <= '9';
        private static string Printable(char c) => c < 0x20 || c > 0x7e ? $"U+{(int)c:X4}" : c.ToString();
        private JsonFormatException Error(string message) => new JsonFormatException(message, _line);
    }
}
