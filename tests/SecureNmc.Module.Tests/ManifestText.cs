using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Module.Tests.PowerShellData;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// The module manifest read with <see cref="Psd1Parser"/>, so a manifest PowerShell would refuse
    /// (a missing quote or bracket, a bare word, a variable) fails every test that reads it.
    /// </summary>
    public sealed class ManifestText
    {
        private ManifestText(IReadOnlyDictionary<string, object?> entries) => Entries = entries;

        /// <summary>The top-level keys and values: string, long, double, bool, null, object?[] or a nested dictionary.</summary>
        public IReadOnlyDictionary<string, object?> Entries { get; }

        public static ManifestText Parse(string text) => new ManifestText(Psd1Parser.ParseHashtable(text));

        public bool Has(string key) => Entries.ContainsKey(key);

        /// <summary>A scalar value as text; null when absent or not a scalar.</summary>
        public string? Value(string key) =>
            Entries.TryGetValue(key, out var v) && v is not object?[] && v is not IReadOnlyDictionary<string, object?> && v is not null
                ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)
                : null;

        /// <summary>The strings in an @( ) list, or a single string value as a one-item list; null when absent.</summary>
        public IReadOnlyList<string>? List(string key)
        {
            if (!Entries.TryGetValue(key, out var v)) return null;
            if (v is object?[] items) return items.Select(i => Convert.ToString(i, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList();
            return v == null ? Array.Empty<string>() : new[] { Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "" };
        }
    }
}
