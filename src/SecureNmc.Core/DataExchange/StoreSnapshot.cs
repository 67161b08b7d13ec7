using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>
    /// The bytes of the inventory, the licence store and the firmware catalog, and the list of cached
    /// firmware files, taken before an import changes anything. If any step of the import fails,
    /// <see cref="Restore"/> puts every file back exactly as it was (atomic writes) and removes files
    /// the import added, so the three stores never end half-imported.
    /// </summary>
    internal sealed class StoreSnapshot
    {
        private readonly Dictionary<string, byte[]?> _files = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        private readonly string _packagesFolder;
        private readonly HashSet<string> _packageFiles;
        private readonly List<string> _absentFolders;

        private StoreSnapshot(DataExchangeStores stores)
        {
            foreach (var path in new[] { stores.Inventory.FilePath, stores.LicenceStorePath, stores.Firmware.CatalogPath })
                _files[path] = File.Exists(path) ? File.ReadAllBytes(path) : null;
            _packagesFolder = stores.Firmware.PackagesFolder;
            _packageFiles = new HashSet<string>(Directory.Exists(_packagesFolder) ? Directory.GetFiles(_packagesFolder) : Array.Empty<string>(), StringComparer.Ordinal);
            // Deepest first, so a folder the import created is removed after its contents.
            _absentFolders = new[] { _packagesFolder, stores.Firmware.CacheFolder }.Where(f => !Directory.Exists(f)).ToList();
        }

        public static StoreSnapshot Take(DataExchangeStores stores) => new StoreSnapshot(stores);

        /// <summary>Best effort on every item (one failure does not stop the others); returns what could not be restored.</summary>
        public IReadOnlyList<string> Restore()
        {
            var problems = new List<string>();
            var writer = new AtomicFileWriter();
            foreach (var pair in _files)
            {
                try
                {
                    if (pair.Value == null)
                    {
                        if (File.Exists(pair.Key)) File.Delete(pair.Key);
                    }
                    else if (!File.Exists(pair.Key) || !File.ReadAllBytes(pair.Key).SequenceEqual(pair.Value))
                    {
                        writer.WriteAllBytes(pair.Key, pair.Value);
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    problems.Add($"{pair.Key}: {e.Message}");
                }
            }
            if (Directory.Exists(_packagesFolder))
            {
                foreach (var added in Directory.GetFiles(_packagesFolder).Where(f => !_packageFiles.Contains(f)))
                {
                    try { File.Delete(added); }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { problems.Add($"{added}: {e.Message}"); }
                }
            }
            foreach (var folder in _absentFolders)
            {
                try { if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { problems.Add($"{folder}: {e.Message}"); }
            }
            return problems;
        }
    }
}
