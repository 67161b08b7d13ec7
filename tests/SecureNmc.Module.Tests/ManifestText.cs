using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// Just enough of a .psd1 reader for our own manifest: `Key = 'value'` and `Key = @('a', 'b')`
    /// (items on one line or one per line), with # comments.
    /// </summary>
    public sealed class ManifestText
    {
        private readonly Dictionary<string, string> _raw;

        private ManifestText(Dictionary<string, string> raw) => _raw = raw;

        public static ManifestText Parse(string text)
        {
            var withoutComments = string.Join("\n", text.Split('\n').Select(l => Regex.Replace(l, @"^\s*#.*$", "")));
            var raw = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (Match m in Regex.Matches(withoutComments, @"^\s*(?<key>[A-Za-z]+)\s*=\s*(?<value>@\([^)]*\)|'[^']*'|""[^""]*""|@\{)", RegexOptions.Multiline))
                raw[m.Groups["key"].Value] = m.Groups["value"].Value;
            return new ManifestText(raw);
        }

        public bool Has(string key) => _raw.ContainsKey(key);

        public string? Value(string key) =>
            _raw.TryGetValue(key, out var v) && !v.StartsWith("@", StringComparison.Ordinal) ? v.Trim('\'', '"') : null;

        /// <summary>The strings in an @( ) list, or a single string value as a one-item list; null when absent.</summary>
        public IReadOnlyList<string>? List(string key)
        {
            if (!_raw.TryGetValue(key, out var v)) return null;
            if (!v.StartsWith("@(", StringComparison.Ordinal)) return new[] { v.Trim('\'', '"') };
            return Regex.Matches(v, @"'([^']*)'|""([^""]*)""")
                .Select(m => m.Groups[1].Success && m.Groups[1].Length > 0 ? m.Groups[1].Value : m.Groups[2].Value)
                .ToList();
        }
    }
}
