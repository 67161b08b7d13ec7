using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>One [Section] of a card's config.ini, keys in file order (case-insensitive lookup).</summary>
    public sealed class ConfigIniSection
    {
        private readonly List<KeyValuePair<string, string>> _entries = new List<KeyValuePair<string, string>>();

        public ConfigIniSection(string name) => Name = name;

        /// <summary>"NetworkTCP/IP", "SystemID"...; "" for keys that appear before any section.</summary>
        public string Name { get; }

        public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries;

        internal void Add(string key, string value) => _entries.Add(new KeyValuePair<string, string>(key, value));

        /// <summary>The value of <paramref name="key"/> (last one wins, as in any INI reader), or null.</summary>
        public string? this[string key]
        {
            get
            {
                for (int i = _entries.Count - 1; i >= 0; i--)
                    if (string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase)) return _entries[i].Value;
                return null;
            }
        }
    }

    /// <summary>
    /// A parsed config.ini: the header comment lines (AOS and application versions, generation line)
    /// and the sections. Produced by <see cref="ConfigIniParser"/>.
    /// </summary>
    public sealed class ConfigIniDocument
    {
        internal ConfigIniDocument(IReadOnlyList<string> headerComments, IReadOnlyList<ConfigIniSection> sections)
        {
            HeaderComments = headerComments;
            Sections = sections;
        }

        /// <summary>Text of the leading comment lines, without the ';'.</summary>
        public IReadOnlyList<string> HeaderComments { get; }

        public IReadOnlyList<ConfigIniSection> Sections { get; }

        /// <summary>From "; Network Management Card AOS v2.5.0.8".</summary>
        public string? AosVersion { get; internal set; }

        /// <summary>From "; Smart-UPS APP v2.5.0.6": "Smart-UPS".</summary>
        public string? ApplicationName { get; internal set; }

        public string? ApplicationVersion { get; internal set; }

        /// <summary>"01/21/2026 at 16:08:12" as the card wrote it (card-local time, format varies by firmware).</summary>
        public string? GeneratedOn { get; internal set; }

        /// <summary>"Administrator apc": the role and user that generated the file.</summary>
        public string? GeneratedBy { get; internal set; }

        public ConfigIniSection? Section(string name) =>
            Sections.LastOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The value of <paramref name="key"/> in the last [<paramref name="section"/>] that has it (a section may repeat).</summary>
        public string? Get(string section, string key)
        {
            for (int i = Sections.Count - 1; i >= 0; i--)
            {
                if (!string.Equals(Sections[i].Name, section, StringComparison.OrdinalIgnoreCase)) continue;
                var value = Sections[i][key];
                if (value != null) return value;
            }
            return null;
        }
    }
}
