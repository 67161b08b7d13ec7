using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SecureNmc.Module.Tests.PowerShellData
{
    /// <summary>
    /// Reads a PowerShell data file (.psd1) the way Import-PowerShellDataFile and Import-Module
    /// accept it: one hashtable literal of constant values. Supported, because that is what a
    /// module manifest may hold: <c>@{ Key = value }</c> (entries separated by new lines or ';'),
    /// <c>@( ... )</c> and bare comma lists, single-quoted strings ('' escapes a quote),
    /// double-quoted strings without any expansion, numbers, $true/$false/$null, # and &lt;# #&gt;
    /// comments. Everything else (a bare word, a variable, a sub-expression, a duplicate key, an
    /// unclosed bracket or quote) is a <see cref="Psd1SyntaxException"/> with the line, because
    /// PowerShell refuses to load such a manifest.
    /// </summary>
    public sealed class Psd1Parser
    {
        private readonly string _text;
        private int _pos;

        private Psd1Parser(string text) => _text = text;

        /// <summary>The file's top-level hashtable, keys case-insensitive as in PowerShell.</summary>
        public static IReadOnlyDictionary<string, object?> ParseHashtable(string text)
        {
            var parser = new Psd1Parser(text);
            parser.SkipTrivia(newlines: true);
            if (!parser.At("@{")) throw parser.Error("a data file must be a single hashtable literal starting with @{");
            var table = parser.ReadHashtable();
            parser.SkipTrivia(newlines: true);
            if (parser._pos < text.Length) throw parser.Error($"unexpected '{parser.Peek()}' after the closing '}}' of the hashtable");
            return table;
        }

        private Dictionary<string, object?> ReadHashtable()
        {
            Expect("@{");
            var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                SkipSeparators();
                if (EndOfText) throw Error("missing '}' to close the hashtable");
                if (Peek() == '}') { _pos++; return table; }
                int keyStart = _pos;
                var key = ReadKey();
                SkipTrivia(newlines: false);
                if (EndOfText || Peek() != '=') throw Error($"missing '=' after hashtable key '{key}'");
                _pos++;
                SkipTrivia(newlines: true);
                var value = ReadValueOrList();
                if (table.ContainsKey(key)) throw Error($"duplicate key '{key}' in a hashtable literal", keyStart);
                table[key] = value;
                SkipTrivia(newlines: false);
                if (!EndOfText && Peek() != '\n' && Peek() != '\r' && Peek() != ';' && Peek() != '}')
                    throw Error($"unexpected '{Peek()}' after the value of '{key}' (one entry per line, or separate entries with ';')");
            }
        }

        private string ReadKey()
        {
            char c = Peek();
            if (c == '\'') return ReadSingleQuoted();
            if (c == '"') return ReadDoubleQuoted();
            int start = _pos;
            while (!EndOfText && (char.IsLetterOrDigit(Peek()) || Peek() == '_')) _pos++;
            if (_pos == start) throw Error($"a hashtable key was expected, found '{c}'");
            return _text.Substring(start, _pos - start);
        }

        /// <summary>A value, or a bare comma list of values (PowerShell makes that an array).</summary>
        private object? ReadValueOrList()
        {
            var first = ReadValue();
            SkipTrivia(newlines: false);
            if (EndOfText || Peek() != ',') return first;
            var items = new List<object?> { first };
            while (!EndOfText && Peek() == ',')
            {
                _pos++;
                SkipTrivia(newlines: true);
                items.Add(ReadValue());
                SkipTrivia(newlines: false);
            }
            return items.ToArray();
        }

        private object? ReadValue()
        {
            if (EndOfText) throw Error("a value was expected at the end of the file");
            if (At("@{")) return ReadHashtable();
            if (At("@(")) return ReadArray();
            char c = Peek();
            if (c == '\'') return ReadSingleQuoted();
            if (c == '"') return ReadDoubleQuoted();
            if (c == '$') return ReadConstantVariable();
            if (char.IsDigit(c) || ((c == '-' || c == '+' || c == '.') && _pos + 1 < _text.Length && char.IsDigit(_text[_pos + 1])))
                return ReadNumber();
            throw Error($"'{Word()}' is not a constant value (quote strings: 'text'); a data file allows only strings, numbers, $true, $false, $null, @() and @{{}}");
        }

        private object?[] ReadArray()
        {
            Expect("@(");
            var items = new List<object?>();
            bool needSeparator = false;
            while (true)
            {
                SkipTrivia(newlines: false);
                if (EndOfText) throw Error("missing ')' to close the @( ) array");
                char c = Peek();
                if (c == ')') { _pos++; return items.ToArray(); }
                if (c == '\n' || c == '\r' || c == ';') { _pos++; needSeparator = false; continue; }
                if (c == ',')
                {
                    if (!needSeparator) throw Error("an array item was expected before ','");
                    _pos++; needSeparator = false;
                    SkipTrivia(newlines: true);
                    if (!EndOfText && Peek() == ')') throw Error("an array item was expected after ','");
                    continue;
                }
                if (needSeparator) throw Error($"missing ',' or new line between array items before '{Word()}'");
                items.Add(ReadValue());
                needSeparator = true;
            }
        }

        private string ReadSingleQuoted()
        {
            int start = _pos;
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (EndOfText) throw Error("the string is missing its closing single quote", start);
                char c = _text[_pos++];
                if (IsSingleQuote(c))
                {
                    if (!EndOfText && IsSingleQuote(Peek())) { sb.Append(c); _pos++; continue; }
                    return sb.ToString();
                }
                sb.Append(c);
            }
        }

        /// <summary>Double quotes expand $variables and $( ) in PowerShell; a data file may not run code, so any '$' that is not escaped is an error here.</summary>
        private string ReadDoubleQuoted()
        {
            int start = _pos;
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (EndOfText) throw Error("the string is missing its closing double quote", start);
                char c = _text[_pos++];
                if (c == '`')
                {
                    if (EndOfText) throw Error("the string is missing its closing double quote", start);
                    char e = _text[_pos++];
                    sb.Append(e switch { 'n' => '\n', 'r' => '\r', 't' => '\t', '0' => '\0', _ => e });
                    continue;
                }
                if (c == '"')
                {
                    if (!EndOfText && Peek() == '"') { sb.Append('"'); _pos++; continue; }
                    return sb.ToString();
                }
                if (c == '$' && !EndOfText && (char.IsLetter(Peek()) || Peek() == '(' || Peek() == '{' || Peek() == '_'))
                    throw Error("a double-quoted string in a data file may not expand a variable or sub-expression; use single quotes", _pos - 1);
                sb.Append(c);
            }
        }

        private object? ReadConstantVariable()
        {
            var word = Word();
            _pos += word.Length;
            switch (word.ToLowerInvariant())
            {
                case "$true": return true;
                case "$false": return false;
                case "$null": return null;
                default: throw Error($"the variable '{word}' is not allowed in a data file (only $true, $false and $null are)", _pos - word.Length);
            }
        }

        private object ReadNumber()
        {
            var word = Word();
            _pos += word.Length;
            if (long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
            if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            throw Error($"'{word}' is not a number", _pos - word.Length);
        }

        /// <summary>The run of characters up to the next delimiter, for values and error messages.</summary>
        private string Word()
        {
            int end = _pos;
            while (end < _text.Length && !char.IsWhiteSpace(_text[end]) && ",;()}{=".IndexOf(_text[end]) < 0) end++;
            return end == _pos ? _text[_pos].ToString() : _text.Substring(_pos, end - _pos);
        }

        private void SkipSeparators()
        {
            while (true)
            {
                SkipTrivia(newlines: true);
                if (!EndOfText && Peek() == ';') { _pos++; continue; }
                return;
            }
        }

        /// <summary>Spaces, comments and (when allowed) new lines; a backtick at the end of a line continues it.</summary>
        private void SkipTrivia(bool newlines)
        {
            while (!EndOfText)
            {
                char c = Peek();
                if (c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'))) { _pos++; continue; }
                if (c == '`' && _pos + 1 < _text.Length && (_text[_pos + 1] == '\n' || _text[_pos + 1] == '\r')) { _pos += 2; continue; }
                if (At("<#"))
                {
                    int close = _text.IndexOf("#>", _pos + 2, StringComparison.Ordinal);
                    if (close < 0) throw Error("the block comment '<#' is never closed with '#>'");
                    _pos = close + 2;
                    continue;
                }
                if (c == '#')
                {
                    while (!EndOfText && Peek() != '\n' && Peek() != '\r') _pos++;
                    continue;
                }
                return;
            }
        }

        // PowerShell also treats the typographic quotes as single quotes.
        private static bool IsSingleQuote(char c) => c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';

        private bool EndOfText => _pos >= _text.Length;
        private char Peek() => _text[_pos];
        private bool At(string s) => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0;

        private void Expect(string s)
        {
            if (!At(s)) throw Error($"'{s}' was expected");
            _pos += s.Length;
        }

        private Psd1SyntaxException Error(string message, int? at = null)
        {
            int pos = Math.Min(at ?? _pos, _text.Length);
            int line = 1;
            for (int i = 0; i < pos; i++) if (_text[i] == '\n') line++;
            return new Psd1SyntaxException(line, message);
        }
    }

    public sealed class Psd1SyntaxException : Exception
    {
        public Psd1SyntaxException(int line, string message) : base($"line {line}: {message}") => Line = line;

        public int Line { get; }
    }
}
