using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Bundles;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Security;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>
    /// Import-NmcBundle. First the whole bundle is read and verified (password, every chunk's tag,
    /// every part's SHA-256, names, sizes: <see cref="BundleReader"/>), then its content is checked
    /// (device records, every sealed password opens, every licence signature verifies with the trusted
    /// key, every firmware file is a package name and matches the cache's record of it). Only then are
    /// the stores changed: firmware, licences, devices. If any of those steps fails, the inventory,
    /// licence store and firmware cache are restored to exactly what they were.
    /// </summary>
    public sealed class BundleImporter
    {
        private readonly DataExchangeStores _stores;
        private readonly BundleLimits? _limits;

        public BundleImporter(DataExchangeStores stores, BundleLimits? limits = null)
        {
            _stores = stores ?? throw new ArgumentNullException(nameof(stores));
            _limits = limits;
        }

        /// <summary>-WhatIf: verifies the bundle and reports what an import would do; changes nothing.</summary>
        /// <param name="allowUnencrypted">
        /// Whether firmware and licences may come from a bundle without a password. Such a bundle
        /// proves nothing about where its content came from (anyone can write one), so by default
        /// it may carry only device records.
        /// </param>
        public BundleImportResult Preview(string path, char[]? password, ImportConflict conflict, bool allowUnencrypted = false) =>
            Run(path, password, conflict, apply: false, allowUnencrypted);

        public BundleImportResult Import(string path, char[]? password, ImportConflict conflict, bool allowUnencrypted = false) =>
            Run(path, password, conflict, apply: true, allowUnencrypted);

        private BundleImportResult Run(string path, char[]? password, ImportConflict conflict, bool apply, bool allowUnencrypted)
        {
            path = Path.GetFullPath(path);
            if (!File.Exists(path)) throw new FileNotFoundException($"The bundle file '{path}' does not exist.", path);
            var stagingRoot = _stores.StagingRoot;
            var dataRoot = _stores.DataFolder.Root;
            bool dataFolderExisted = Directory.Exists(dataRoot);
            try
            {
                using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
                using (var bundle = BundleReader.Read(input, password, stagingRoot, _limits))
                {
                    var content = Check(bundle);
                    if (!bundle.Encrypted && !allowUnencrypted && (content.Firmware.Count > 0 || content.Licences.Count > 0))
                        throw new DataExchangeException(DataExchangeError.UnencryptedContent,
                            $"The bundle '{Path.GetFileName(path)}' is not encrypted, yet it carries {Describe(content)}. Without a password nothing shows that they came from Export-NmcBundle on a machine you trust, so they are refused; nothing was imported. " +
                            "Export the bundle again with -Password, or, if you trust this file, import it with -AllowUnencrypted.");
                    var items = apply ? Apply(content, conflict) : Plan(content, conflict);
                    var result = new BundleImportResult(path, bundle.Encrypted, apply, items);
                    if (apply) _stores.Logger.LogInformation("Imported the bundle {Path}: {Summary}.", path, result.Summary());
                    return result;
                }
            }
            finally
            {
                try { if (Directory.Exists(stagingRoot) && !Directory.EnumerateFileSystemEntries(stagingRoot).Any()) Directory.Delete(stagingRoot); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
                // A refused bundle leaves no trace: not even the data folder the staging area needed.
                try { if (!dataFolderExisted && Directory.Exists(dataRoot) && !Directory.EnumerateFileSystemEntries(dataRoot).Any()) Directory.Delete(dataRoot); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }

        private static string Describe(CheckedContent content)
        {
            var parts = new List<string>();
            if (content.Firmware.Count > 0) parts.Add($"{content.Firmware.Count} firmware package(s)");
            if (content.Licences.Count > 0) parts.Add($"{content.Licences.Count} licence record(s)");
            return string.Join(" and ", parts);
        }

        private sealed class CheckedContent
        {
            public BundleSecretBox? Box;
            public List<NmcDevice> Devices = new List<NmcDevice>();
            public List<LicenceRecord> Licences = new List<LicenceRecord>();
            public List<(VerifiedBundlePart Part, bool AlreadyCached)> Firmware = new List<(VerifiedBundlePart, bool)>();
            public string StagingFolder = "";
        }

        /// <summary>Everything that can be checked without changing a store; throws naming the first problem.</summary>
        private CheckedContent Check(VerifiedBundle bundle)
        {
            var content = new CheckedContent { Box = bundle.SecretBox };
            foreach (var kind in new[] { BundlePartKind.Metadata, BundlePartKind.Devices, BundlePartKind.Licences })
            {
                var parts = bundle.OfKind(kind).ToList();
                if (parts.Count > 1)
                    throw new BundleException(BundleError.DuplicateEntry, $"The bundle holds {parts.Count} {kind} parts ({string.Join(", ", parts.Select(p => p.Name))}); Export-NmcBundle writes one. Nothing was imported.");
            }
            var metadata = bundle.OfKind(BundlePartKind.Metadata).FirstOrDefault()
                ?? throw new BundleException(BundleError.Malformed, "The bundle has no bundle.json part: it was not made by Export-NmcBundle. Nothing was imported.");
            BundleParts.CheckMetadata(metadata.ReadAllBytes());

            var devicesPart = bundle.OfKind(BundlePartKind.Devices).FirstOrDefault();
            if (devicesPart != null)
            {
                content.Devices = BundleParts.ReadDevices(devicesPart.ReadAllBytes());
                foreach (var d in content.Devices.Where(d => d.ProtectedPassword != null))
                {
                    if (content.Box == null)
                        throw new BundleException(BundleError.Malformed, $"The unencrypted bundle carries a password for device '{d.DisplayName}'; Export-NmcBundle never writes credentials without a password. Nothing was imported.");
                    var secret = content.Box.Open(d.ProtectedPassword!, BundleParts.SealedPasswordData(d.Id), $"device '{d.DisplayName}'");
                    Array.Clear(secret, 0, secret.Length);
                }
            }

            var licencesPart = bundle.OfKind(BundlePartKind.Licences).FirstOrDefault();
            if (licencesPart != null)
            {
                content.Licences = BundleParts.ReadLicences(licencesPart.ReadAllBytes());
                if (content.Licences.Count > 0)
                {
                    _stores.RequireLicences("imported");
                    var key = _stores.LicensingKey!;
                    foreach (var record in content.Licences)
                    {
                        if (!LicenceVerifier.IsAuthentic(record, key, out var problem))
                            throw new DataExchangeException(DataExchangeError.LicenceRejected,
                                $"The licence record for card {record.CardSerial} in the bundle was rejected: {problem}. Nothing was imported.");
                    }
                }
            }

            var catalog = _stores.Firmware.GetCatalog();
            foreach (var part in bundle.OfKind(BundlePartKind.Firmware))
            {
                if (!FirmwarePackageName.TryParse(part.Name, out var name, out var problem))
                    throw new DataExchangeException(DataExchangeError.FirmwareRejected, $"The bundle's firmware part '{part.Name}' is not an NMC3 firmware package: {problem} Nothing was imported.");
                if (part.Length == 0)
                    throw new DataExchangeException(DataExchangeError.FirmwareRejected, $"The bundle's firmware part '{part.Name}' is empty; a firmware package never is. Nothing was imported.");
                if (part.Length > FirmwareLibrary.MaxPackageBytes)
                    throw new DataExchangeException(DataExchangeError.FirmwareRejected,
                        $"The bundle's firmware part '{part.Name}' is {part.Length:N0} bytes, more than any NMC3 package ({FirmwareLibrary.MaxPackageBytes / (1024 * 1024)} MiB at most). Nothing was imported.");
                var known = catalog.Packages.FirstOrDefault(p => string.Equals(p.FileName, name!.FileName, StringComparison.OrdinalIgnoreCase));
                if (known != null && (known.Size != part.Length || !Sha256Hex.Same(known.Sha256, part.Sha256Hex)))
                    throw new DataExchangeException(DataExchangeError.FirmwareRejected,
                        $"The bundle's {part.Name} (size {part.Length}, SHA-256 {part.Sha256Hex}) differs from this cache's record of that package (size {known.Size}, SHA-256 {known.Sha256}). The cached record is kept; nothing was imported. If the cache is wrong, clear it and import again.");
                content.Firmware.Add((part, known != null && known.IsCached));
            }
            return content;
        }

        private List<BundleImportItem> Plan(CheckedContent content, ImportConflict conflict)
        {
            var items = new List<BundleImportItem>();
            foreach (var (part, cached) in content.Firmware)
                items.Add(FirmwareItem(part, cached, applied: false));
            var stored = content.Licences.Count > 0 ? new HashSet<string>(_stores.Licences!.All().Select(r => r.RecordId), StringComparer.OrdinalIgnoreCase) : new HashSet<string>();
            foreach (var record in content.Licences)
                items.Add(LicenceItem(record, stored.Contains(record.RecordId), applied: false));
            // The same decisions as the import, on a detached copy of the inventory that is never saved.
            var preview = new InventoryTransaction(_stores.Inventory.GetAll().ToList());
            items.AddRange(ApplyDevices(preview, content, conflict, applied: false));
            return items;
        }

        private List<BundleImportItem> Apply(CheckedContent content, ImportConflict conflict)
        {
            var items = new List<BundleImportItem>();
            var snapshot = StoreSnapshot.Take(_stores);
            string step = "adding the firmware files to the cache";
            try
            {
                var moved = Path.Combine(_stores.StagingRoot, "firmware-" + Guid.NewGuid().ToString("N"));
                try
                {
                    foreach (var (part, cached) in content.Firmware)
                    {
                        if (!cached)
                        {
                            // The library names a package by its file name: give the verified staged bytes that name.
                            PhysicalFileOperations.CreateOwnerOnlyDirectory(moved);
                            var named = Path.Combine(moved, part.Name);
                            File.Move(part.StagedPath, named);
                            var package = _stores.Firmware.Import(named);
                            if (!Sha256Hex.Same(package.Sha256, part.Sha256Hex))
                                throw new FirmwareIntegrityException(part.Name, $"The cache recorded SHA-256 {package.Sha256} for {part.Name}, not the bundle's {part.Sha256Hex}.");
                        }
                        items.Add(FirmwareItem(part, cached, applied: true));
                    }
                }
                finally
                {
                    try { if (Directory.Exists(moved)) Directory.Delete(moved, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                }

                step = "adding the licences to the licence store";
                if (content.Licences.Count > 0)
                {
                    var store = _stores.Licences!;
                    var stored = new HashSet<string>(store.All().Select(r => r.RecordId), StringComparer.OrdinalIgnoreCase);
                    var fresh = content.Licences.Where(r => !stored.Contains(r.RecordId)).ToList();
                    if (fresh.Count > 0) store.Save(fresh);
                    items.AddRange(content.Licences.Select(r => LicenceItem(r, stored.Contains(r.RecordId), applied: true)));
                }

                step = "adding the devices to the inventory";
                if (content.Devices.Count > 0)
                    items.AddRange(_stores.Inventory.Transact(tx => ApplyDevices(tx, content, conflict, applied: true)));
                return items;
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                var leftovers = snapshot.Restore();
                var restored = leftovers.Count == 0
                    ? "The inventory, licence store and firmware cache are exactly as they were; nothing was imported."
                    : "Restoring the stores failed for: " + string.Join("; ", leftovers) + ". Check these files.";
                _stores.Logger.LogError("Importing a bundle failed while {Step}: {Problem}", step, e.Message);
                throw new DataExchangeException(DataExchangeError.ApplyFailed, $"The import failed while {step}: {e.Message} {restored}", e);
            }
        }

        private List<BundleImportItem> ApplyDevices(InventoryTransaction tx, CheckedContent content, ImportConflict conflict, bool applied)
        {
            var items = new List<BundleImportItem>();
            foreach (var incoming in content.Devices)
            {
                var name = $"{incoming.DisplayName} ({incoming.Host}:{incoming.Port})";
                bool hasCredential = incoming.ProtectedPassword != null;
                var existing = tx.FindByEndpoint(incoming.Host, incoming.Port);
                var handOver = existing != null ? HandOverMerge.Decide(existing, incoming) : HandOverDecision.NotHandedOver;
                // A card in flight whose hand-over record came back: the worker has answered for it.
                var cameBack = existing != null && existing.IsInFlight && handOver != HandOverDecision.NotHandedOver;
                var landed = cameBack ? $" It is no longer in flight (it was {DeviceHandOver.Describe(existing!)})." : "";
                if (existing != null && conflict == ImportConflict.Skip)
                {
                    var stillAway = cameBack ? $" It stays in flight ({DeviceHandOver.Describe(existing)}): import the worker's results with -Conflict Overwrite." : "";
                    items.Add(new BundleImportItem(BundleItemKind.Device, name, BundleImportAction.Skipped,
                        $"{incoming.Host}:{incoming.Port} is already in the inventory as '{existing.DisplayName}' and was kept as it is (-Conflict Overwrite replaces it).{stillAway}", applied));
                    continue;
                }
                if (handOver == HandOverDecision.Conflict)
                {
                    if (cameBack) tx.SetHandOver(existing!.Id, null, null);
                    items.Add(new BundleImportItem(BundleItemKind.Device, name, BundleImportAction.Conflict,
                        $"changed in this inventory (revision {existing!.Revision}) and in the bundle (revision {incoming.Revision}) since it was handed over at revision {incoming.BaseRevision}: " +
                        $"it was worked on from two places. This record is kept (here: {Facts(existing)}; bundle: {Facts(incoming)}); run Update-NmcDevice on it to read the card's real state.{landed}", applied));
                    continue;
                }
                if (handOver == HandOverDecision.KeepHere)
                {
                    if (cameBack) tx.SetHandOver(existing!.Id, null, null);
                    items.Add(new BundleImportItem(BundleItemKind.Device, name, BundleImportAction.Skipped,
                        $"unchanged in the bundle since it was handed over (revision {incoming.BaseRevision}); this inventory's record is kept.{landed}", applied));
                    continue;
                }
                if (existing != null)
                {
                    string? reprotected = hasCredential && applied ? Reprotect(content.Box!, incoming, existing.Id) : null;
                    tx.Update(existing.Id, target =>
                    {
                        var keepUser = target.UserName;
                        var keepPassword = target.ProtectedPassword;
                        var keepAdded = target.Added;
                        var keepWorker = target.HandedOverTo;
                        var keepSince = target.HandedOverAt;
                        CopyRecord(incoming, target);
                        target.Added = keepAdded;
                        // The mark is this inventory's: only the card's own hand-over record coming back clears it.
                        target.HandedOverTo = cameBack ? null : keepWorker;
                        target.HandedOverAt = cameBack ? null : keepSince;
                        // From now on both sides count from the bundle's revision (see HandOverMerge).
                        target.BaseRevision = incoming.Revision;
                        if (hasCredential) { target.UserName = incoming.UserName; target.ProtectedPassword = reprotected; }
                        else { target.UserName = keepUser; target.ProtectedPassword = keepPassword; }
                    });
                    items.Add(new BundleImportItem(BundleItemKind.Device, name, BundleImportAction.Overwritten,
                        $"replaced '{existing.DisplayName}' with the bundle's record " + (hasCredential ? "and credential" : "(its stored credential is kept: the bundle has none for it)") + "." + landed, applied));
                    continue;
                }
                var added = incoming.Clone();
                // Ids are kept so a round trip finds its devices again; an id already used here by another card gets a new one.
                if (tx.FindById(added.Id) != null) added.Id = Guid.NewGuid();
                added.BaseRevision = incoming.Revision;
                added.HandedOverTo = null; // never in flight here: the mark is the exporting inventory's
                added.HandedOverAt = null;
                added.ProtectedPassword = hasCredential && applied ? Reprotect(content.Box!, incoming, added.Id) : null;
                if (!hasCredential) added.UserName = incoming.UserName;
                tx.TryAdd(added);
                items.Add(new BundleImportItem(BundleItemKind.Device, name, BundleImportAction.Added,
                    hasCredential ? "added with its credential, encrypted for this machine." : "added.", applied));
            }
            return items;
        }

        private static string Facts(NmcDevice d) =>
            $"{(d.ApplicationVersion == null ? "version unknown" : $"{d.ApplicationType} {d.ApplicationVersion}")}, {d.Status.ToText()}";

        /// <summary>Opens the bundle-sealed password and protects it for this user and machine, bound to <paramref name="targetId"/>.</summary>
        private string Reprotect(BundleSecretBox box, NmcDevice incoming, Guid targetId)
        {
            var secret = box.Open(incoming.ProtectedPassword!, BundleParts.SealedPasswordData(incoming.Id), $"device '{incoming.DisplayName}'");
            try
            {
                var ad = Encoding.UTF8.GetBytes(DeviceCredentials.AssociatedDataFor(new NmcDevice { Id = targetId }));
                return Convert.ToBase64String(_stores.Protector.Protect(secret, ad));
            }
            finally
            {
                Array.Clear(secret, 0, secret.Length);
            }
        }

        /// <summary>Every settable field of the bundle's record except identity (Id).</summary>
        private static void CopyRecord(NmcDevice from, NmcDevice to)
        {
            var id = to.Id;
            foreach (var property in typeof(NmcDevice).GetProperties())
                if (property.CanWrite && property.CanRead) property.SetValue(to, property.GetValue(from));
            to.Id = id;
        }

        private static BundleImportItem FirmwareItem(VerifiedBundlePart part, bool cached, bool applied) =>
            new BundleImportItem(BundleItemKind.Firmware, part.Name, cached ? BundleImportAction.AlreadyPresent : BundleImportAction.Added,
                cached ? "the cache already holds this file (same SHA-256)." : $"{part.Length} bytes, SHA-256 {part.Sha256Hex} verified.", applied);

        private static BundleImportItem LicenceItem(LicenceRecord record, bool stored, bool applied) =>
            new BundleImportItem(BundleItemKind.Licence, record.ToString(), stored ? BundleImportAction.AlreadyPresent : BundleImportAction.Added,
                stored ? "the licence store already holds this record." : "signature verified with the trusted licensing service key.", applied);
    }
}
