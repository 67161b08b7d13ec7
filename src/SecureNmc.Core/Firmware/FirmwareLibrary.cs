using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Core.Firmware.Catalog;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Firmware
{
    /// <summary>
    /// The local firmware cache: a folder (under the data folder) holding <c>catalog.json</c> and a
    /// <c>packages/</c> folder with the files. Packages come from Import-NmcFirmware or from the
    /// catalog service; every file is checked against its SHA-256 before it leaves the library.
    /// </summary>
    public sealed class FirmwareLibrary : IFirmwareSource
    {
        public const string CatalogFileName = "catalog.json";
        public const string PackagesFolderName = "packages";

        private readonly object _gate = new object();
        private readonly ConcurrentDictionary<string, SemaphoreSlim> _downloadLocks = new ConcurrentDictionary<string, SemaphoreSlim>(StringComparer.OrdinalIgnoreCase);
        private readonly FirmwareCatalogClient? _catalogClient;
        private readonly ILogger _logger;
        private readonly Func<DateTimeOffset> _now;
        private readonly SharedFirmwareCopies _sharedCopies = new SharedFirmwareCopies(DefaultSharedCopyBudgetBytes);

        /// <summary>
        /// 256 MiB: real NMC3 packages are tens of MB, and a mixed fleet sends several at once (one per
        /// application type, plus flash-safe intermediates), so this keeps the usual handful in memory.
        /// </summary>
        public const long DefaultSharedCopyBudgetBytes = 256L * 1024 * 1024;

        /// <param name="cacheFolder">The firmware folder inside the data folder; created on first write.</param>
        /// <param name="catalogClient">The catalog service, or null when only imported files are used (air-gapped).</param>
        public FirmwareLibrary(string cacheFolder, FirmwareCatalogClient? catalogClient = null, ILogger? logger = null, Func<DateTimeOffset>? now = null)
        {
            if (string.IsNullOrWhiteSpace(cacheFolder)) throw new ArgumentException("The firmware cache folder must be given.", nameof(cacheFolder));
            CacheFolder = Path.GetFullPath(cacheFolder);
            _catalogClient = catalogClient;
            _logger = logger ?? NullLogger.Instance;
            _now = now ?? (() => DateTimeOffset.UtcNow);
        }

        public string CacheFolder { get; }
        public string CatalogPath => Path.Combine(CacheFolder, CatalogFileName);
        public string PackagesFolder => Path.Combine(CacheFolder, PackagesFolderName);
        public bool HasCatalogService => _catalogClient != null;

        /// <summary>
        /// The most memory (bytes) that verified in-memory copies of packages may take at once, over all
        /// packages being sent right now (default <see cref="DefaultSharedCopyBudgetBytes"/>). A package
        /// that does not fit is streamed from its file and verified per upload instead. 0 streams every upload.
        /// </summary>
        public long SharedCopyBudgetBytes
        {
            get => _sharedCopies.BudgetBytes;
            set => _sharedCopies.BudgetBytes = value;
        }

        /// <summary>Bytes currently held (or being loaded) in shared verified copies.</summary>
        internal long SharedCopyBytesHeld => _sharedCopies.ReservedBytes;

        /// <summary>Computes a file's SHA-256 for verification. A seam for tests (to count or pause hashing); the product never changes it.</summary>
        internal Func<Stream, string> Hasher { get; set; } = Sha256Hex.Of;

        public string PathOf(FirmwarePackage package) => Path.Combine(PackagesFolder, package.FileName);

        /// <summary>A snapshot of every known package, with <see cref="FirmwarePackage.IsCached"/> filled in.</summary>
        public FirmwareCatalog GetCatalog()
        {
            List<FirmwarePackage> packages;
            lock (_gate) packages = LoadEntries();
            foreach (var p in packages) p.IsCached = File.Exists(PathOf(p));
            return new FirmwareCatalog(packages);
        }

        /// <summary>
        /// Brings an admin-downloaded file into the cache: identified by its name, hashed, copied.
        /// Refused when the name is not an NMC3 package or the catalog already records different bytes under that name.
        /// </summary>
        public FirmwarePackage Import(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A firmware file path must be given.", nameof(path));
            var full = Path.GetFullPath(path);
            if (!File.Exists(full)) throw new FileNotFoundException($"Firmware file '{full}' does not exist.", full);
            if (!FirmwarePackageName.TryParse(Path.GetFileName(full), out var name, out var problem))
                throw new InvalidDataException(problem + " Rename nothing: import the file exactly as the vendor named it.");
            var declaredSize = RequireRegularPackageFile(full);

            lock (_gate)
            {
                PhysicalFileOperations.CreateOwnerOnlyDirectory(PackagesFolder);
                var temp = Path.Combine(PackagesFolder, "." + name!.FileName + "." + Guid.NewGuid().ToString("N") + ".partial");
                try
                {
                    // Hash the copy, not the source, so what is recorded is exactly what the cache holds.
                    // The copy stops at the cap, in case the file grows while it is read.
                    CopyAtMost(full, temp, MaxPackageBytes);
                    var size = new FileInfo(temp).Length;
                    if (size == 0) throw new InvalidDataException($"Firmware file '{full}' is empty.");
                    if (size != declaredSize) throw new FirmwareFileRefusedException(full, $"Firmware file '{full}' changed size while it was read ({declaredSize:N0} bytes, then {size:N0}); import it again when nothing is writing it.");
                    var sha = Sha256Hex.OfFile(temp);
                    var entries = LoadEntries();
                    var known = entries.FirstOrDefault(e => string.Equals(e.FileName, name.FileName, StringComparison.OrdinalIgnoreCase));
                    if (known != null && (known.Size != size || !Sha256Hex.Same(known.Sha256, sha)))
                        throw new FirmwareIntegrityException(name.FileName,
                            $"'{full}' is named {name.FileName} but its content (size {size}, SHA-256 {sha}) differs from the catalog's record of that package (size {known.Size}, SHA-256 {known.Sha256}). The file may be corrupt or altered; download it again from the vendor.");
                    var package = known?.Copy() ?? new FirmwarePackage(name, size, sha) { Source = FirmwareSource.Imported, Added = _now() };
                    ReplaceFile(temp, PathOf(package));
                    if (known == null) entries.Add(package);
                    SaveEntries(entries);
                    package.IsCached = true;
                    _logger.LogInformation("Imported firmware {FileName} ({Size} bytes, SHA-256 {Sha256})", package.FileName, size, sha);
                    return package;
                }
                finally
                {
                    TryDelete(temp);
                }
            }
        }

        /// <summary>
        /// The largest package the library accepts. Real NMC3 packages are a few MB; the cap keeps a
        /// wrong file (a disk image, /dev/zero behind a link) from filling the disk.
        /// </summary>
        public const long MaxPackageBytes = 64L * 1024 * 1024;

        /// <summary>
        /// Refuses what is not a plain file of a plausible size, before it is opened: a symbolic link
        /// (it could point at /etc/shadow or /dev/zero), and anything whose size is 0 — a FIFO or a
        /// device reports 0 and opening one would block or read forever. Returns the size.
        /// </summary>
        public static long RequireRegularPackageFile(string full)
        {
            var info = new FileInfo(full);
            if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
                throw new FirmwareFileRefusedException(full, $"Firmware file '{full}' is a symbolic link (or another reparse point). Import the package file itself, not a link to it.");
            if ((info.Attributes & FileAttributes.Device) != 0)
                throw new FirmwareFileRefusedException(full, $"Firmware file '{full}' is a device, not a file.");
            if (info.Length == 0)
                throw new FirmwareFileRefusedException(full, $"Firmware file '{full}' is empty or is not a regular file (a pipe or a device). Import the package file downloaded from the vendor.");
            if (info.Length > MaxPackageBytes)
                throw new FirmwareFileRefusedException(full, $"Firmware file '{full}' is {info.Length:N0} bytes, more than any NMC3 package ({MaxPackageBytes / (1024 * 1024)} MiB at most). Check that it is the .nmc3 file from the vendor.");
            return info.Length;
        }

        private static void CopyAtMost(string source, string destination, long maxBytes)
        {
            using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            using (var output = UnixFilePermissions.CreateOwnerOnlyFile(destination, 1 << 16))
            {
                var buffer = new byte[1 << 16];
                long total = 0;
                int read;
                while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                        throw new FirmwareFileRefusedException(source, $"Firmware file '{source}' grew past {maxBytes / (1024 * 1024)} MiB while it was read; it is not a firmware package.");
                    output.Write(buffer, 0, read);
                }
            }
        }

        /// <summary>Reads the catalog service's index and records its packages (files are downloaded when needed).</summary>
        public async Task<CatalogRefreshResult> RefreshFromServiceAsync(CancellationToken cancellationToken)
        {
            var client = _catalogClient ?? throw new InvalidOperationException("No firmware catalog service is configured; set its URL, or import files with Import-NmcFirmware.");
            var index = await client.GetIndexAsync(cancellationToken).ConfigureAwait(false);
            var added = new List<FirmwarePackage>();
            var conflicts = new List<string>(index.Problems);
            lock (_gate)
            {
                var entries = LoadEntries();
                foreach (var p in index.Packages)
                {
                    var known = entries.FirstOrDefault(e => string.Equals(e.FileName, p.FileName, StringComparison.OrdinalIgnoreCase));
                    if (known == null)
                    {
                        var copy = p.Copy();
                        copy.Source = FirmwareSource.CatalogService;
                        copy.Added = _now();
                        entries.Add(copy);
                        added.Add(copy);
                    }
                    else if (known.Size != p.Size || !Sha256Hex.Same(known.Sha256, p.Sha256))
                    {
                        // Never let a remote index silently replace what the cache already trusts.
                        conflicts.Add($"{p.FileName}: the catalog service lists SHA-256 {p.Sha256} (size {p.Size}) but the cache holds {known.Sha256} (size {known.Size}); the cached record is kept. Clear the cache to accept the service's version.");
                    }
                    else
                    {
                        known.ReleaseNotesUrl ??= p.ReleaseNotesUrl;
                        known.BootloaderVersion ??= p.BootloaderVersion;
                    }
                }
                SaveEntries(entries);
            }
            return new CatalogRefreshResult(added, conflicts);
        }

        /// <summary>Makes sure the package's file is in the cache, downloading it from the service if it is missing.</summary>
        public async Task EnsureCachedAsync(FirmwarePackage package, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            var target = PathOf(package);
            if (File.Exists(target)) return;
            var client = _catalogClient ?? throw new FirmwareNotAvailableException(package.FileName,
                $"Firmware file {package.FileName} is not in the cache and no catalog service is configured. Import it with Import-NmcFirmware -Path.");
            var fileLock = _downloadLocks.GetOrAdd(package.FileName, _ => new SemaphoreSlim(1, 1));
            await fileLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (File.Exists(target)) return;
                PhysicalFileOperations.CreateOwnerOnlyDirectory(PackagesFolder);
                try
                {
                    await client.DownloadAsync(package, target, progress, cancellationToken).ConfigureAwait(false);
                }
                catch (FirmwareIntegrityException) { throw; }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
                catch (Exception ex)
                {
                    throw new FirmwareNotAvailableException(package.FileName, $"Firmware file {package.FileName} could not be downloaded from the catalog service: {ex.Message}", ex);
                }
                _logger.LogInformation("Downloaded firmware {FileName}", package.FileName);
            }
            finally
            {
                fileLock.Release();
            }
        }

        /// <summary>
        /// The package, verified, for one upload. Everyone sending the same catalog entry at the same time
        /// shares one in-memory copy that was read and hashed once (each gets its own read-only stream over
        /// it); the copy is dropped when the last holder disposes, so a later open checks the file again.
        /// A package that does not fit <see cref="SharedCopyBudgetBytes"/> now is streamed from disk and
        /// verified for this upload alone. <paramref name="cancellationToken"/> cancels this caller's wait,
        /// not a load other callers are waiting for.
        /// </summary>
        public async Task<VerifiedFirmwareFile> OpenVerifiedAsync(FirmwarePackage package, CancellationToken cancellationToken)
        {
            await EnsureCachedAsync(package, null, cancellationToken).ConfigureAwait(false);
            var hold = _sharedCopies.TryHold(package, () => ReadVerifiedCopy(package));
            if (hold == null)
            {
                _logger.LogDebug("Firmware {FileName} ({Size} bytes) does not fit the shared memory budget now; streaming it from the cache file", package.FileName, package.Size);
                return OpenVerified(package);
            }
            try
            {
                var bytes = await hold.GetBytesAsync(cancellationToken).ConfigureAwait(false);
                return VerifiedFirmwareFile.OverSharedCopy(package, bytes, hold);
            }
            catch (FirmwareIntegrityException ex)
            {
                hold.Dispose();
                // Every waiter on a failed load gets its own exception (same file, same words), not one shared instance.
                throw new FirmwareIntegrityException(ex.FileName, ex.Message);
            }
            catch
            {
                hold.Dispose();
                throw;
            }
        }

        private byte[] ReadVerifiedCopy(FirmwarePackage package)
        {
            try
            {
                return CacheFileVerification.ReadVerified(package, PathOf(package), Hasher);
            }
            catch (FirmwareIntegrityException ex)
            {
                _logger.LogError("Refused firmware file {FileName}: {Reason}", package.FileName, ex.Message);
                throw;
            }
        }

        /// <summary>
        /// Opens the cached file on disk after checking size and SHA-256 now, whatever shared copy exists;
        /// never returns unverified bytes. For checking the cache itself (Get-NmcFirmware -Verify, bundles).
        /// </summary>
        public VerifiedFirmwareFile OpenVerified(FirmwarePackage package)
        {
            try
            {
                return VerifiedFirmwareFile.Open(package, PathOf(package), Hasher);
            }
            catch (FirmwareIntegrityException ex)
            {
                _logger.LogError("Refused firmware file {FileName}: {Reason}", package.FileName, ex.Message);
                throw;
            }
        }

        /// <summary>Checks every cached file; returns one problem per bad file (the Get-NmcFirmware -Verify view).</summary>
        public IReadOnlyList<FirmwareIntegrityException> VerifyCache()
        {
            var problems = new List<FirmwareIntegrityException>();
            foreach (var p in GetCatalog().Packages.Where(p => p.IsCached))
            {
                try { using (OpenVerified(p)) { } }
                catch (FirmwareIntegrityException ex) { problems.Add(ex); }
            }
            return problems;
        }

        /// <summary>
        /// Writes a verified copy of the package into <paramref name="folder"/> (the seed's Download Only).
        /// Returns the written path. An existing identical file is left alone; a different one is replaced.
        /// </summary>
        public async Task<string> SaveToFolderAsync(FirmwarePackage package, string folder, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(folder);
            var destination = Path.Combine(Path.GetFullPath(folder), package.FileName);
            using (var verified = await OpenVerifiedAsync(package, cancellationToken).ConfigureAwait(false))
            {
                if (File.Exists(destination) && new FileInfo(destination).Length == package.Size && Sha256Hex.Same(Sha256Hex.OfFile(destination), package.Sha256))
                    return destination;
                var temp = destination + "." + Guid.NewGuid().ToString("N") + ".partial";
                try
                {
                    // The admin's own folder (Download Only): its files keep the folder's usual permissions.
                    using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                        await verified.Content.CopyToAsync(output, 1 << 16, cancellationToken).ConfigureAwait(false);
                    if (!Sha256Hex.Same(Sha256Hex.OfFile(temp), package.Sha256))
                        throw new FirmwareIntegrityException(package.FileName, $"The copy of {package.FileName} written to '{folder}' does not match its SHA-256; nothing was saved.");
                    ReplaceFile(temp, destination);
                }
                finally
                {
                    TryDelete(temp);
                }
            }
            return destination;
        }

        /// <summary>Deletes every cached file and the catalog (Clear-NmcFirmwareCache). Returns what was removed.</summary>
        public CacheClearResult Clear()
        {
            lock (_gate)
            {
                int files = 0;
                long bytes = 0;
                if (Directory.Exists(PackagesFolder))
                {
                    foreach (var f in Directory.GetFiles(PackagesFolder))
                    {
                        bytes += new FileInfo(f).Length;
                        File.Delete(f);
                        files++;
                    }
                    Directory.Delete(PackagesFolder, recursive: true);
                }
                var entries = File.Exists(CatalogPath) ? LoadEntries().Count : 0;
                TryDelete(CatalogPath);
                _logger.LogInformation("Cleared the firmware cache: {Files} files, {Bytes} bytes", files, bytes);
                return new CacheClearResult(CacheFolder, files, bytes, entries);
            }
        }

        private List<FirmwarePackage> LoadEntries()
        {
            if (!File.Exists(CatalogPath))
            {
                if (Directory.Exists(CatalogPath))
                    throw new StoreCorruptException(CatalogPath, "firmware catalog", "it is a folder, not a file");
                return new List<FirmwarePackage>();
            }
            CatalogIndexDocument doc;
            try
            {
                doc = CatalogJson.Deserialize(File.ReadAllBytes(CatalogPath), CatalogPath);
            }
            catch (InvalidDataException e)
            {
                // Reported like a damaged inventory (SecureNmc.StoreCorrupt, the file and what to do),
                // not as a bare .NET exception.
                throw new StoreCorruptException(CatalogPath, "firmware catalog", e.Message, e);
            }
            var list = new List<FirmwarePackage>();
            foreach (var e in doc.Packages)
            {
                if (CatalogEntryMapper.TryToPackage(e, out var p, out var problem)) list.Add(p!);
                else _logger.LogWarning("Ignoring a bad entry in {Catalog}: {Problem}", CatalogPath, problem);
            }
            return list;
        }

        private void SaveEntries(List<FirmwarePackage> entries)
        {
            PhysicalFileOperations.CreateOwnerOnlyDirectory(CacheFolder);
            var doc = new CatalogIndexDocument
            {
                Generated = _now().ToString("o", CultureInfo.InvariantCulture),
                Packages = entries.OrderBy(p => p.FileName, StringComparer.OrdinalIgnoreCase)
                    .Select(p => CatalogEntryMapper.ToEntry(p, includeLocalFields: true)).ToList(),
            };
            var temp = CatalogPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            using (var stream = UnixFilePermissions.CreateOwnerOnlyFile(temp))
            {
                var bytes = CatalogJson.Serialize(doc);
                stream.Write(bytes, 0, bytes.Length);
            }
            ReplaceFile(temp, CatalogPath);
        }

        /// <summary>Moves <paramref name="source"/> over <paramref name="destination"/> so readers never see half a file.</summary>
        internal static void ReplaceFile(string source, string destination)
        {
            if (File.Exists(destination)) File.Replace(source, destination, null);
            else File.Move(source, destination);
        }

        private static void TryDelete(string path)
        {
            try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public sealed class CatalogRefreshResult
    {
        public CatalogRefreshResult(IReadOnlyList<FirmwarePackage> added, IReadOnlyList<string> problems)
        {
            Added = added;
            Problems = problems;
        }

        public IReadOnlyList<FirmwarePackage> Added { get; }

        /// <summary>Entries refused or conflicting, each a sentence naming the file.</summary>
        public IReadOnlyList<string> Problems { get; }
    }

    public sealed class CacheClearResult
    {
        public CacheClearResult(string folder, int filesDeleted, long bytesFreed, int catalogEntriesRemoved)
        {
            Folder = folder;
            FilesDeleted = filesDeleted;
            BytesFreed = bytesFreed;
            CatalogEntriesRemoved = catalogEntriesRemoved;
        }

        public string Folder { get; }
        public int FilesDeleted { get; }
        public long BytesFreed { get; }
        public int CatalogEntriesRemoved { get; }
    }
}
