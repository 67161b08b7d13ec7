using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Firmware.Catalog
{
    /// <summary>
    /// The service side of the catalog contract, independent of any HTTP stack: builds the index from
    /// the <c>.nmc3</c> files in a folder and opens files by name. An optional
    /// <c>catalog-metadata.json</c> in the folder (same shape as the index; only fileName,
    /// releaseNotesUrl and bootloaderVersion are read) adds what a file name cannot say.
    /// </summary>
    public sealed class FirmwareCatalogService
    {
        public const string MetadataFileName = "catalog-metadata.json";

        private readonly object _gate = new object();
        private readonly Dictionary<string, (long Size, DateTime Modified, string Sha256)> _hashes =
            new Dictionary<string, (long, DateTime, string)>(StringComparer.OrdinalIgnoreCase);

        public FirmwareCatalogService(string folder)
        {
            Folder = Path.GetFullPath(folder);
            if (!Directory.Exists(Folder)) throw new DirectoryNotFoundException($"The firmware catalog folder '{Folder}' does not exist.");
        }

        public string Folder { get; }

        /// <summary>The current index; files are re-hashed only when their size or time changed.</summary>
        public CatalogIndexDocument BuildIndex()
        {
            var metadata = LoadMetadata();
            var doc = new CatalogIndexDocument { Generated = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture) };
            foreach (var path in Directory.GetFiles(Folder, "*" + FirmwarePackageName.Extension).OrderBy(p => p, StringComparer.Ordinal))
            {
                if (!FirmwarePackageName.TryParse(Path.GetFileName(path), out var name, out _)) continue;
                var info = new FileInfo(path);
                if (info.Length == 0) continue;
                var sha = HashOf(info);
                metadata.TryGetValue(name!.FileName, out var meta);
                doc.Packages.Add(new CatalogPackageEntry
                {
                    FileName = name.FileName,
                    Hardware = name.Hardware,
                    ApplicationType = ApplicationTypeInfo.Get(name.ApplicationType).FileCode,
                    Version = name.Version.ToString(),
                    Size = info.Length,
                    Sha256 = sha,
                    ReleaseNotesUrl = meta?.ReleaseNotesUrl,
                    BootloaderVersion = meta?.BootloaderVersion,
                });
            }
            return doc;
        }

        public byte[] BuildIndexJson() => CatalogJson.Serialize(BuildIndex());

        /// <summary>
        /// Opens a listed package by its exact file name; false for anything else (so a request can
        /// never reach outside the folder: only names that parse as packages and exist directly in it).
        /// </summary>
        public bool TryOpenPackage(string fileName, out Stream? content, out long length)
        {
            content = null;
            length = 0;
            if (string.IsNullOrEmpty(fileName) || fileName.IndexOfAny(new[] { '/', '\\' }) >= 0 || fileName.Contains("..")) return false;
            if (!FirmwarePackageName.TryParse(fileName, out var name, out _) || name!.FileName != fileName) return false;
            var path = Path.Combine(Folder, fileName);
            if (!File.Exists(path)) return false;
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            content = stream;
            length = stream.Length;
            return true;
        }

        private string HashOf(FileInfo info)
        {
            lock (_gate)
            {
                if (_hashes.TryGetValue(info.FullName, out var known) && known.Size == info.Length && known.Modified == info.LastWriteTimeUtc)
                    return known.Sha256;
                var sha = Sha256Hex.OfFile(info.FullName);
                _hashes[info.FullName] = (info.Length, info.LastWriteTimeUtc, sha);
                return sha;
            }
        }

        private Dictionary<string, CatalogPackageEntry> LoadMetadata()
        {
            var result = new Dictionary<string, CatalogPackageEntry>(StringComparer.OrdinalIgnoreCase);
            var path = Path.Combine(Folder, MetadataFileName);
            if (!File.Exists(path)) return result;
            var doc = CatalogJson.Deserialize(File.ReadAllBytes(path), path);
            foreach (var e in doc.Packages)
                if (!string.IsNullOrEmpty(e.FileName)) result[e.FileName!] = e;
            return result;
        }
    }
}
