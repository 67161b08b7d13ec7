using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Core.DataExchange
{
    public enum BundleItemKind
    {
        Device,
        Licence,
        Firmware,
    }

    public enum BundleImportAction
    {
        /// <summary>New here: added.</summary>
        Added,
        /// <summary>A device with the same host and port was replaced (-Conflict Overwrite).</summary>
        Overwritten,
        /// <summary>A device with the same host and port was kept as it is (-Conflict Skip).</summary>
        Skipped,
        /// <summary>Identical content was already here (a licence record or firmware file): nothing to do.</summary>
        AlreadyPresent,
        /// <summary>A handed-over card changed both here and in the bundle since the hand-over: kept as it is here, and reported.</summary>
        Conflict,
    }

    /// <summary>One device, licence or firmware file of a bundle and what the import did (or, under -WhatIf, would do) with it.</summary>
    public sealed class BundleImportItem
    {
        internal BundleImportItem(BundleItemKind kind, string name, BundleImportAction action, string detail, bool applied)
        {
            Kind = kind;
            Name = name;
            Action = action;
            Detail = detail;
            Applied = applied;
        }

        public BundleItemKind Kind { get; }
        public string Name { get; }
        public BundleImportAction Action { get; }
        public string Detail { get; }

        /// <summary>False under -WhatIf: the action is what would happen.</summary>
        public bool Applied { get; }

        public override string ToString() => $"{Kind} {Name}: {Action} ({Detail})";
    }

    public sealed class BundleImportResult
    {
        internal BundleImportResult(string path, bool encrypted, bool applied, IReadOnlyList<BundleImportItem> items)
        {
            Path = path;
            Encrypted = encrypted;
            Applied = applied;
            Items = items;
        }

        public string Path { get; }
        public bool Encrypted { get; }
        public bool Applied { get; }
        public IReadOnlyList<BundleImportItem> Items { get; }

        public int Count(BundleItemKind kind, BundleImportAction action) => Items.Count(i => i.Kind == kind && i.Action == action);

        /// <summary>"3 device(s) added, 1 skipped; 2 licence(s) added; 1 firmware file(s) added".</summary>
        public string Summary()
        {
            string Part(BundleItemKind kind, string noun)
            {
                var counts = Items.Where(i => i.Kind == kind).GroupBy(i => i.Action).Select(g => $"{g.Count()} {Word(g.Key)}").ToList();
                return counts.Count == 0 ? $"no {noun}" : $"{noun}: " + string.Join(", ", counts);
            }
            return string.Join("; ", new[] { Part(BundleItemKind.Device, "devices"), Part(BundleItemKind.Licence, "licences"), Part(BundleItemKind.Firmware, "firmware files") });
        }

        private static string Word(BundleImportAction action) => action switch
        {
            BundleImportAction.Added => "added",
            BundleImportAction.Overwritten => "overwritten",
            BundleImportAction.Skipped => "skipped (already in the inventory)",
            _ => "already present",
        };
    }
}
