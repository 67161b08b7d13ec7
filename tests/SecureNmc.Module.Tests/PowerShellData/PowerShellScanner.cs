using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SecureNmc.Module.Tests.PowerShellData
{
    public enum TokenKind { Word, Parameter, String, Variable, Number, NewLine, Semicolon, Pipe, Open, Close, Comma, Assign, Operator, Other }

    /// <summary>One PowerShell token: text, kind, 1-based line, and the group depth it sits at.</summary>
    public sealed record PsToken(TokenKind Kind, string Text, int Line, int Depth)
    {
        /// <summary>Whitespace (or a line start) comes before the token: it starts a new command argument.</summary>
        public bool SpaceBefore { get; init; }

        public override string ToString() => $"{Text} (line {Line})";
    }

    /// <summary>A command invocation found in a script: the command token, its -parameters and its other arguments (same nesting level).</summary>
    public sealed record PsInvocation(PsToken Command, IReadOnlyList<PsToken> Parameters, IReadOnlyList<PsToken> Arguments, int EndIndex)
    {
        /// <summary>The index of the command token in the token list.</summary>
        public int StartIndex { get; init; }
    }

    /// <summary>
    /// A PowerShell tokenizer good enough to review our own scripts without PowerShell: it knows
    /// strings (single, double, here-strings), comments, variables, groups ( ) { } @( ) @{ } $( ) [ ],
    /// statement ends (new line, ';', '|') and backtick line continuation, so it can tell which
    /// words stand in command position and which '-Name' tokens are parameters of which command.
    /// It does not evaluate anything; strings are opaque (commands inside "$( )" are not seen).
    /// </summary>
    public static class PowerShellScanner
    {
        public static IReadOnlyList<PsToken> Tokenize(string text)
        {
            var tokens = new SpacedList();
            int pos = 0, line = 1, depth = 0;
            while (pos < text.Length)
            {
                char c = text[pos];
                if (c == '\r') { pos++; continue; }
                if (c == '\n') { tokens.Add(new PsToken(TokenKind.NewLine, "\n", line, depth)); tokens.Space = true; line++; pos++; continue; }
                if (c == ' ' || c == '\t' || c == '\u00A0' || c == '\uFEFF') { tokens.Space = true; pos++; continue; }
                if (c == '`' && pos + 1 < text.Length && (text[pos + 1] == '\n' || text[pos + 1] == '\r'))
                {
                    tokens.Space = true;
                    pos++;
                    if (text[pos] == '\r') pos++;
                    if (pos < text.Length && text[pos] == '\n') { pos++; line++; }
                    continue;
                }
                if (c == '<' && At(text, pos, "<#"))
                {
                    int end = text.IndexOf("#>", pos + 2, StringComparison.Ordinal);
                    end = end < 0 ? text.Length : end + 2;
                    line += Count(text, pos, end, '\n');
                    pos = end;
                    tokens.Space = true;
                    continue;
                }
                if (c == '#')
                {
                    while (pos < text.Length && text[pos] != '\n') pos++;
                    continue;
                }
                int start = pos, startLine = line;
                if (c == '@' && pos + 1 < text.Length && (text[pos + 1] == '\'' || text[pos + 1] == '"') && IsHereStringStart(text, pos + 2))
                {
                    string close = "\n" + text[pos + 1] + "@";
                    int end = text.IndexOf(close, pos + 2, StringComparison.Ordinal);
                    end = end < 0 ? text.Length : end + close.Length;
                    line += Count(text, pos, end, '\n');
                    pos = end;
                    tokens.Add(new PsToken(TokenKind.String, text.Substring(start, pos - start), startLine, depth));
                    continue;
                }
                if (IsSingleQuote(c))
                {
                    pos++;
                    while (pos < text.Length)
                    {
                        if (IsSingleQuote(text[pos])) { if (pos + 1 < text.Length && IsSingleQuote(text[pos + 1])) { pos += 2; continue; } pos++; break; }
                        if (text[pos] == '\n') line++;
                        pos++;
                    }
                    tokens.Add(new PsToken(TokenKind.String, text.Substring(start, pos - start), startLine, depth));
                    continue;
                }
                if (c == '"')
                {
                    pos = SkipDoubleQuoted(text, pos, ref line);
                    tokens.Add(new PsToken(TokenKind.String, text.Substring(start, pos - start), startLine, depth));
                    continue;
                }
                if ((c == '@' || c == '$') && pos + 1 < text.Length && (text[pos + 1] == '(' || text[pos + 1] == '{'))
                {
                    if (c == '$' && text[pos + 1] == '{')
                    {
                        // ${braced variable name}
                        int end = text.IndexOf('}', pos);
                        pos = end < 0 ? text.Length : end + 1;
                        tokens.Add(new PsToken(TokenKind.Variable, text.Substring(start, pos - start), startLine, depth));
                        continue;
                    }
                    tokens.Add(new PsToken(TokenKind.Open, text.Substring(pos, 2), line, depth));
                    depth++;
                    pos += 2;
                    continue;
                }
                if (c == '(' || c == '{' || c == '[')
                {
                    tokens.Add(new PsToken(TokenKind.Open, c.ToString(), line, depth));
                    depth++;
                    pos++;
                    continue;
                }
                if (c == ')' || c == '}' || c == ']')
                {
                    depth = Math.Max(0, depth - 1);
                    tokens.Add(new PsToken(TokenKind.Close, c.ToString(), line, depth));
                    pos++;
                    continue;
                }
                if (c == ';') { tokens.Add(new PsToken(TokenKind.Semicolon, ";", line, depth)); pos++; continue; }
                if (c == ',') { tokens.Add(new PsToken(TokenKind.Comma, ",", line, depth)); pos++; continue; }
                if (c == '|')
                {
                    if (At(text, pos, "||")) { tokens.Add(new PsToken(TokenKind.Operator, "||", line, depth)); pos += 2; continue; }
                    tokens.Add(new PsToken(TokenKind.Pipe, "|", line, depth)); pos++; continue;
                }
                if (c == '&' && At(text, pos, "&&")) { tokens.Add(new PsToken(TokenKind.Operator, "&&", line, depth)); pos += 2; continue; }
                if (c == '?' && (At(text, pos, "??") || At(text, pos, "?.") || At(text, pos, "?[")))
                {
                    string op = At(text, pos, "??=") ? "??=" : text.Substring(pos, 2);
                    tokens.Add(new PsToken(TokenKind.Operator, op, line, depth)); pos += op.Length; continue;
                }
                if (c == '$')
                {
                    pos++;
                    while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] == '_' || text[pos] == ':' || text[pos] == '?' || text[pos] == '^' || text[pos] == '$'))
                    {
                        if (text[pos] == '?' && pos + 1 < text.Length && (text[pos + 1] == '.' || text[pos + 1] == '?' || text[pos + 1] == '[')) break;
                        pos++;
                        if (pos - start == 2 && (text[pos - 1] == '?' || text[pos - 1] == '^' || text[pos - 1] == '$')) break;
                    }
                    tokens.Add(new PsToken(TokenKind.Variable, text.Substring(start, pos - start), startLine, depth));
                    continue;
                }
                if (c == '=' && !At(text, pos, "=="))
                {
                    tokens.Add(new PsToken(TokenKind.Assign, "=", line, depth)); pos++; continue;
                }
                // A generic token: runs to whitespace or a delimiter. '-Name:value' keeps the colon with the name.
                while (pos < text.Length && !char.IsWhiteSpace(text[pos]) && "(){}[];,|'\"".IndexOf(text[pos]) < 0
                       && !(text[pos] == '`' && pos + 1 < text.Length && (text[pos + 1] == '\n' || text[pos + 1] == '\r'))
                       && !(pos > start && text[pos] == '=' && text[start] != '-'))
                    pos++;
                if (pos == start) pos++;
                var word = text.Substring(start, pos - start);
                var kind = word.Length > 1 && word[0] == '-' && char.IsLetter(word[1]) ? TokenKind.Parameter
                    : char.IsDigit(word[0]) || (word[0] == '-' && word.Length > 1 && char.IsDigit(word[1])) ? TokenKind.Number
                    : char.IsLetter(word[0]) || word[0] == '_' || word[0] == '.' || word[0] == '\\' || word[0] == '/' || word[0] == '&' ? TokenKind.Word
                    : TokenKind.Other;
                tokens.Add(new PsToken(kind, word, startLine, depth));
            }
            return tokens.Items;
        }

        /// <summary>Collects tokens, marking each with whether whitespace preceded it.</summary>
        private sealed class SpacedList
        {
            public List<PsToken> Items { get; } = new List<PsToken>();
            public bool Space { get; set; } = true;
            public int Count => Items.Count;

            public void Add(PsToken token)
            {
                Items.Add(token with { SpaceBefore = Space });
                Space = false;
            }
        }

        /// <summary>The parameter name of a '-Name' or '-Name:value' token.</summary>
        public static string ParameterName(PsToken token)
        {
            var name = token.Text.Substring(1);
            int colon = name.IndexOf(':');
            return colon >= 0 ? name.Substring(0, colon) : name;
        }

        /// <summary>Every invocation of a command whose name satisfies <paramref name="isCommand"/>, when that name stands in command position.</summary>
        public static IEnumerable<PsInvocation> Invocations(IReadOnlyList<PsToken> tokens, Func<string, bool> isCommand)
        {
            for (int i = 0; i < tokens.Count; i++)
            {
                var t = tokens[i];
                if (t.Kind != TokenKind.Word || !isCommand(t.Text) || !InCommandPosition(tokens, i)) continue;
                yield return ReadInvocation(tokens, i);
            }
        }

        public static PsInvocation ReadInvocation(IReadOnlyList<PsToken> tokens, int commandIndex)
        {
            var command = tokens[commandIndex];
            var parameters = new List<PsToken>();
            var arguments = new List<PsToken>();
            int i = commandIndex + 1;
            for (; i < tokens.Count; i++)
            {
                var t = tokens[i];
                if (t.Depth < command.Depth) break;                       // the group around the command closed
                if (t.Depth == command.Depth)
                {
                    if (t.Kind is TokenKind.NewLine or TokenKind.Semicolon or TokenKind.Pipe) break;
                    if (t.Kind == TokenKind.Operator && (t.Text == "&&" || t.Text == "||")) break;
                    if (t.Kind == TokenKind.Parameter) parameters.Add(t);
                    else arguments.Add(t);
                }
            }
            return new PsInvocation(command, parameters, arguments, i) { StartIndex = commandIndex };
        }

        /// <summary>A word is a command when it starts a statement or pipeline element (or follows '&amp;' or '.').</summary>
        public static bool InCommandPosition(IReadOnlyList<PsToken> tokens, int index)
        {
            if (index == 0) return true;
            var previous = tokens[index - 1];
            switch (previous.Kind)
            {
                case TokenKind.NewLine:
                case TokenKind.Semicolon:
                case TokenKind.Pipe:
                case TokenKind.Assign:
                    return true;
                case TokenKind.Open:
                    return previous.Text != "[" && previous.Text != "@{";
                case TokenKind.Operator:
                    return previous.Text == "&&" || previous.Text == "||";
                case TokenKind.Word:
                case TokenKind.Other:
                    return (previous.Text == "&" || previous.Text == ".") && (index < 2 || InCommandPosition(tokens, index - 1));
                default:
                    return false;
            }
        }

        /// <summary>The fenced ```powershell (or ```ps1/```pwsh/```posh) blocks of a markdown file, with the line each starts on, plus inline `code` spans naming a command matched by <paramref name="inlineFilter"/>.</summary>
        public static IEnumerable<(string Code, int Line)> MarkdownCode(string markdown, Func<string, bool> inlineFilter)
        {
            var lines = markdown.Replace("\r\n", "\n").Split('\n');
            var prose = new StringBuilder();
            var proseLines = new List<int>();
            for (int i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].Trim();
                if (trimmed.StartsWith("```", StringComparison.Ordinal))
                {
                    var lang = trimmed.Substring(3).Trim().ToLowerInvariant();
                    int startLine = i + 2;
                    var body = new StringBuilder();
                    for (i++; i < lines.Length && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal); i++) body.Append(lines[i]).Append('\n');
                    if (lang is "powershell" or "ps1" or "pwsh" or "posh" or "ps") yield return (body.ToString(), startLine);
                    continue;
                }
                prose.Append(lines[i]).Append('\n');
                proseLines.Add(i + 1);
            }
            // Inline spans may wrap across a line break inside a paragraph; a table cell escapes '|' as '\|'.
            var text = prose.ToString();
            int p = 0;
            while ((p = text.IndexOf('`', p)) >= 0)
            {
                int end = text.IndexOf('`', p + 1);
                if (end < 0) break;
                var span = text.Substring(p + 1, end - p - 1);
                if (!span.Contains("\n\n") && inlineFilter(span))
                    yield return (span.Replace("\\|", "|").Replace('\n', ' '), proseLines[Math.Min(Count(text, 0, p, '\n'), proseLines.Count - 1)]);
                p = end + 1;
            }
        }

        private static int SkipDoubleQuoted(string text, int pos, ref int line)
        {
            pos++;
            while (pos < text.Length)
            {
                char c = text[pos];
                if (c == '`') { pos += 2; continue; }
                if (c == '"') { if (pos + 1 < text.Length && text[pos + 1] == '"') { pos += 2; continue; } return pos + 1; }
                if (c == '\n') line++;
                if (c == '$' && pos + 1 < text.Length && text[pos + 1] == '(')
                {
                    // A sub-expression may itself hold quotes and parentheses.
                    int depth = 0;
                    pos++;
                    while (pos < text.Length)
                    {
                        char d = text[pos];
                        if (d == '(') depth++;
                        else if (d == ')') { depth--; if (depth == 0) { pos++; break; } }
                        else if (d == '"') { pos = SkipDoubleQuoted(text, pos, ref line); continue; }
                        else if (IsSingleQuote(d)) { int close = text.IndexOf(d, pos + 1); pos = close < 0 ? text.Length : close + 1; continue; }
                        else if (d == '\n') line++;
                        pos++;
                    }
                    continue;
                }
                pos++;
            }
            return pos;
        }

        private static bool IsHereStringStart(string text, int pos)
        {
            while (pos < text.Length && (text[pos] == ' ' || text[pos] == '\t')) pos++;
            return pos < text.Length && (text[pos] == '\n' || text[pos] == '\r');
        }

        private static bool IsSingleQuote(char c) => c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';

        private static bool At(string text, int pos, string s) => string.CompareOrdinal(text, pos, s, 0, s.Length) == 0;

        private static int Count(string text, int from, int to, char c)
        {
            int n = 0;
            for (int i = from; i < to && i < text.Length; i++) if (text[i] == c) n++;
            return n;
        }
    }
}
