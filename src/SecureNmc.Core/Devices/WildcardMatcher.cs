using System;
using System.Text;
using System.Text.RegularExpressions;

namespace SecureNmc.Core.Devices
{
    /// <summary>
    /// PowerShell wildcard semantics without System.Management.Automation: * (any run), ? (one
    /// character), [abc] / [a-z] (one of a set or range), backtick escapes the next character.
    /// Case-insensitive, whole-string match, like -like.
    /// </summary>
    public sealed class WildcardMatcher
    {
        private readonly Regex? _regex;
        private readonly string? _literal;

        public WildcardMatcher(string pattern)
        {
            Pattern = pattern ?? throw new ArgumentNullException(nameof(pattern));
            if (ContainsWildcard(pattern)) _regex = new Regex(ToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
            else _literal = Unescape(pattern);
        }

        public string Pattern { get; }

        /// <summary>True when the pattern has *, ? or [ (unescaped): it may match many or none without error.</summary>
        public bool HasWildcards => _regex != null;

        public bool IsMatch(string? text)
        {
            if (text == null) return false;
            return _regex != null ? _regex.IsMatch(text) : string.Equals(_literal, text, StringComparison.OrdinalIgnoreCase);
        }

        public static bool ContainsWildcard(string pattern)
        {
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                if (c == '`') { i++; continue; }
                if (c == '*' || c == '?' || c == '[') return true;
            }
            return false;
        }

        private static string Unescape(string pattern)
        {
            var sb = new StringBuilder(pattern.Length);
            for (int i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] == '`' && i + 1 < pattern.Length) i++;
                sb.Append(pattern[i]);
            }
            return sb.ToString();
        }

        private static string ToRegex(string pattern)
        {
            var sb = new StringBuilder("^");
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                switch (c)
                {
                    case '`':
                        if (i + 1 < pattern.Length) sb.Append(Regex.Escape(pattern[++i].ToString()));
                        else sb.Append('`');
                        break;
                    case '*': sb.Append(".*"); break;
                    case '?': sb.Append('.'); break;
                    case '[':
                        i = AppendCharacterClass(pattern, i, sb);
                        break;
                    default: sb.Append(Regex.Escape(c.ToString())); break;
                }
            }
            return sb.Append('$').ToString();
        }

        private static int AppendCharacterClass(string pattern, int open, StringBuilder sb)
        {
            var set = new StringBuilder();
            int i = open + 1;
            for (; i < pattern.Length && pattern[i] != ']'; i++)
            {
                char c = pattern[i];
                if (c == '`' && i + 1 < pattern.Length) c = pattern[++i];
                else if (c == '-' && set.Length > 0 && i + 1 < pattern.Length && pattern[i + 1] != ']') { set.Append('-'); continue; }
                if (c == '\\' || c == ']' || c == '[' || c == '^' || c == '-') set.Append('\\');
                set.Append(c);
            }
            if (i >= pattern.Length || set.Length == 0)
                throw new ArgumentException($"The wildcard pattern '{pattern}' is not valid: a '[' has no matching ']' or encloses nothing. Escape a literal bracket with a backtick (`[).");
            sb.Append('[').Append(set).Append(']');
            return i;
        }
    }
}
