using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>
    /// Text helpers shared by the card-file parsers. Everything here is linear in the input and
    /// every regular expression has a match timeout, so hostile input can neither hang nor blow up.
    /// </summary>
    internal static class CardText
    {
        /// <summary>Largest file the parsers accept; real config.ini/event.txt/data.txt are far smaller.</summary>
        public const int MaxLength = 16 * 1024 * 1024;

        private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

        // Compiled: every query of every card runs these patterns over each banner and file line, and
        // with a hundred cards at once interpretation showed up among the engine's CPU hot spots.
        public static Regex Pattern(string pattern) =>
            new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled, RegexTimeout);

        /// <summary>Decodes bytes a card sent: UTF-8 when valid, otherwise Latin-1 (older firmware), never throwing.</summary>
        public static string Decode(byte[] bytes)
        {
            if (bytes == null) throw new ArgumentNullException(nameof(bytes));
            try
            {
                return new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                var chars = new char[bytes.Length];
                for (int i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
                return new string(chars);
            }
        }

        /// <summary>Splits on CRLF, LF or a lone CR; drops a byte-order mark and NUL characters.</summary>
        public static List<string> Lines(string text, CardFileKind kind)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            if (text.Length > MaxLength)
                throw new CardFileFormatException(kind, $"the text is {text.Length} characters long, more than the {MaxLength} a card file can be.");
            var lines = new List<string>();
            var current = new StringBuilder();
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\r')
                {
                    lines.Add(current.ToString());
                    current.Clear();
                    if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                }
                else if (c == '\n')
                {
                    lines.Add(current.ToString());
                    current.Clear();
                }
                else if (c != '\0' && c != '\uFEFF')
                {
                    current.Append(c);
                }
            }
            if (current.Length > 0) lines.Add(current.ToString());
            return lines;
        }

        /// <summary>Runs a regex, turning a (pathological) timeout into the parsers' documented exception.</summary>
        public static Match Match(Regex regex, string input, CardFileKind kind)
        {
            try
            {
                return regex.Match(input);
            }
            catch (RegexMatchTimeoutException)
            {
                throw new CardFileFormatException(kind, "a line could not be analysed in reasonable time.");
            }
        }

        private static readonly Regex VersionPattern = Pattern(@"\bv?(\d{1,6}(?:\.\d{1,6}){0,3})\b");

        /// <summary>The first version-looking token ("v2.5.0.8", "6.9.6") in <paramref name="text"/>, without the "v".</summary>
        public static string? FindVersion(string text, CardFileKind kind)
        {
            var m = Match(VersionPattern, text, kind);
            return m.Success ? m.Groups[1].Value : null;
        }

        /// <summary>Trimmed, or null when empty.</summary>
        public static string? Clean(string? value)
        {
            if (value == null) return null;
            var t = value.Trim().Trim('"').Trim();
            return t.Length == 0 ? null : t;
        }
    }
}
