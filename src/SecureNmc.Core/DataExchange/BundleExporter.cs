using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Bundles;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Security;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>What an export wrote.</summary>
    public sealed class BundleExportResult
    {
        internal BundleExportResult(string path, ExportFormat format, bool encrypted, int devices, int credentials, int licences, int firmware, long length)
        {
            Path = path;
            Format = format;
            Encrypted = encrypted;
            Devices = devices;
            DevicesWithCredentials = credentials;
            Licences = licences;
            FirmwareFiles = firmware;
            Length = length;
        }

        public string Path { get; }
        public ExportFormat Format { get; }
        public bool Encrypted { get; }
        public int Devices { get; }
        public int DevicesWithCredentials { get; }
        public int Licences { get; }
        public int FirmwareFiles { get; }
        public long Length { get; }
    }

    /// <summary>The selection an export would write, shown by -WhatIf and then written.</summary>
    public sealed class BundleExportSelection
    {
        internal BundleExportSelection(IReadOnlyList<NmcDevice> devices, IReadOnlyList<LicenceRecord> licences, IReadOnlyList<FirmwarePackage> firmware)
        {
            Devices = devices;
            Licences = licences;
            Firmware = firmware;
        }

        public IReadOnlyList<NmcDevice> Devices { get; }
        public IReadOnlyList<LicenceRecord> Licences { get; }
        public IReadOnlyList<FirmwarePackage> Firmware { get; }
        public IReadOnlyList<NmcDevice> DevicesWithCredentials => Devices.Where(d => d.ProtectedPassword != null).ToList();
    }

    /// <summary>
    /// Export-NmcBundle: CSV (device facts only) or a bundle of devices, licences and firmware for all
    /// devices or a selection. Device passwords are decrypted from this machine's protection and
    /// sealed with the bundle password; a bundle that would hold any credential needs a password.
    /// </summary>
    public sealed class BundleExporter
    {
        private readonly DataExchangeStores _stores;
        private readonly ScryptParameters? _cost;

        /// <param name="cost">scrypt cost; null = <see cref="ScryptParameters.Default"/> (tests pass a cheap one).</param>
        public BundleExporter(DataExchangeStores stores, ScryptParameters? cost = null)
        {
            _stores = stores ?? throw new ArgumentNullException(nameof(stores));
            _cost = cost;
        }

        /// <summary>
        /// The devices (null = the whole inventory, else those given, re-read from the inventory by id),
        /// their licences (by card serial) and the cached firmware for their application types (all cached
        /// firmware when no devices were selected).
        /// </summary>
        public BundleExportSelection Select(IReadOnlyCollection<NmcDevice>? selected, BundleContent include)
        {
            var all = _stores.Inventory.GetAll();
            IReadOnlyList<NmcDevice> devices;
            if (selected == null) devices = all;
            else
            {
                var byId = all.ToDictionary(d => d.Id);
                var missing = selected.Where(d => !byId.ContainsKey(d.Id)).ToList();
                if (missing.Count > 0)
                    throw new DataExchangeException(DataExchangeError.InvalidContent, $"The device '{missing[0].DisplayName}' is not in the inventory (it was removed or comes from another data folder); nothing was exported.");
                devices = selected.Select(d => d.Id).Distinct().Select(id => byId[id]).ToList();
            }

            var licences = new List<LicenceRecord>();
            if (include.HasFlag(BundleContent.Licences))
            {
                var hasStore = System.IO.File.Exists(_stores.LicenceStorePath);
                if (hasStore)
                {
                    var store = _stores.RequireLicences("exported");
                    var serials = new HashSet<string>(devices.Select(d => d.SerialNumber).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()), StringComparer.OrdinalIgnoreCase);
                    licences.AddRange(store.All().Where(r => selected == null || serials.Contains(r.CardSerial)));
                }
            }

            var firmware = new List<FirmwarePackage>();
            if (include.HasFlag(BundleContent.Firmware))
            {
                var types = new HashSet<ApplicationType>(devices.Where(d => d.ApplicationType.HasValue).Select(d => d.ApplicationType!.Value));
                firmware.AddRange(_stores.Firmware.GetCatalog().Packages.Where(p => p.IsCached && (selected == null || types.Contains(p.ApplicationType))));
            }
            return new BundleExportSelection(include.HasFlag(BundleContent.Devices) ? devices : Array.Empty<NmcDevice>(), licences, firmware);
        }

        /// <summary>Writes the CSV of the selected devices (no credentials, formula cells neutralised).</summary>
        public BundleExportResult ExportCsv(string path, IReadOnlyCollection<NmcDevice>? selected, bool force)
        {
            var devices = Select(selected, BundleContent.Devices).Devices;
            path = System.IO.Path.GetFullPath(path);
            DeviceCsvExporter.WriteFile(path, devices.ToList(), force);
            _stores.Logger.LogInformation("Exported {Devices} device(s) to the CSV file {Path}.", devices.Count, path);
            return new BundleExportResult(path, ExportFormat.Csv, false, devices.Count, 0, 0, 0, new System.IO.FileInfo(path).Length);
        }

        /// <summary>
        /// Writes the bundle. Refuses (writing nothing) when it would hold credentials and no password is
        /// given, when the file exists and <paramref name="force"/> is not set, or when a stored password
        /// cannot be decrypted on this machine.
        /// </summary>
        public BundleExportResult ExportBundle(string path, BundleExportSelection selection, char[]? password, bool force) =>
            ExportBundle(path, selection, password, force, handOverTo: null);

        /// <summary>
        /// As <see cref="ExportBundle(string, BundleExportSelection, char[], bool)"/>; with
        /// <paramref name="handOverTo"/>, a hand-over: under the inventory's lock the selected devices are
        /// re-read, any already in flight refuses the whole export (<see cref="DataExchangeError.DeviceInFlight"/>,
        /// nothing written), the bundle is written from those records, and then each device is marked as
        /// handed over to that worker at <paramref name="now"/> in the same transaction. If the bundle cannot
        /// be written nothing is marked; if the inventory cannot be saved the new bundle is deleted.
        /// </summary>
        public BundleExportResult ExportBundle(string path, BundleExportSelection selection, char[]? password, bool force, string? handOverTo, DateTimeOffset? now = null)
        {
            if (selection == null) throw new ArgumentNullException(nameof(selection));
            if (handOverTo == null) return WriteBundle(path, selection, password, force);
            var worker = CheckHandOver(selection, handOverTo);
            var at = (now ?? DateTimeOffset.UtcNow).ToUniversalTime();
            var fullPath = System.IO.Path.GetFullPath(path);
            bool written = false;
            try
            {
                var result = _stores.Inventory.Transact(tx =>
                {
                    var fresh = new List<NmcDevice>(selection.Devices.Count);
                    foreach (var d in selection.Devices)
                        fresh.Add(tx.FindById(d.Id)?.Clone() ?? throw new DataExchangeException(DataExchangeError.InvalidContent,
                            $"The device '{d.DisplayName}' was removed from the inventory by another session; nothing was exported or handed over."));
                    // Re-checked under the lock: another session may have handed a card over since the selection.
                    var current = new BundleExportSelection(fresh, selection.Licences, selection.Firmware);
                    CheckHandOver(current, worker);
                    var exported = WriteBundle(fullPath, current, password, force);
                    written = true;
                    foreach (var d in fresh) tx.SetHandOver(d.Id, worker, at);
                    return exported;
                });
                _stores.Logger.LogInformation("Handed {Devices} device(s) over to {Worker} in the bundle {Path}.", result.Devices, worker, fullPath);
                return result;
            }
            catch (Exception) when (written)
            {
                // The bundle exists but the inventory does not say the cards are away: do not leave a hand-over half done.
                try { System.IO.File.Delete(fullPath); } catch (System.IO.IOException) { } catch (UnauthorizedAccessException) { }
                throw;
            }
        }

        /// <summary>
        /// Whether <paramref name="selection"/> can be handed over to <paramref name="handOverTo"/>: a
        /// worker name (<see cref="DeviceHandOver.ValidateWorker"/>), at least one device, and no device
        /// already in flight (a second hand-over is never silent). Throws <see cref="DataExchangeException"/>
        /// (<see cref="DataExchangeError.InvalidHandOver"/>, <see cref="DataExchangeError.DeviceInFlight"/>);
        /// returns the trimmed worker name. Writes nothing.
        /// </summary>
        public static string CheckHandOver(BundleExportSelection selection, string? handOverTo)
        {
            if (selection == null) throw new ArgumentNullException(nameof(selection));
            var problem = DeviceHandOver.ValidateWorker(handOverTo, out var worker);
            if (problem != null) throw new DataExchangeException(DataExchangeError.InvalidHandOver, problem + " Nothing was exported.");
            if (selection.Devices.Count == 0)
                throw new DataExchangeException(DataExchangeError.InvalidHandOver,
                    $"Nothing to hand over to {worker}: the bundle would hold no devices. Include Devices (-Include Devices, Licences, Firmware) and select the cards. Nothing was exported.");
            var away = selection.Devices.Where(d => d.IsInFlight).ToList();
            if (away.Count > 0)
                throw new DataExchangeException(DataExchangeError.DeviceInFlight,
                    $"{away.Count} of the selected device(s) are already in flight, so they cannot be handed over to {worker}: " +
                    string.Join("; ", away.Take(5).Select(d => $"{d.DisplayName} ({DeviceHandOver.Describe(d)})")) + (away.Count > 5 ? $"; plus {away.Count - 5} more" : "") +
                    ". A second hand-over is never silent: import that worker's results first (Import-NmcBundle -Conflict Overwrite), or take the cards back (Set-NmcDevice -TakeBack) and hand them over again, or leave them out (Get-NmcDevice ... | Where-Object { -not $_.IsInFlight }). Nothing was exported or handed over.");
            return worker;
        }

        private BundleExportResult WriteBundle(string path, BundleExportSelection selection, char[]? password, bool force)
        {
            path = System.IO.Path.GetFullPath(path);
            if (password != null && password.Length == 0) password = null;
            var withCredentials = selection.DevicesWithCredentials;
            if (password == null && withCredentials.Count > 0)
                throw new DataExchangeException(DataExchangeError.PasswordRequired,
                    $"The bundle would hold the stored credentials of {withCredentials.Count} device(s) ({Names(withCredentials)}), so it must be password-protected: give -Password, or leave Devices out of -Include. Nothing was written.");
            ExportFileWriter.CheckTarget(path, force);

            // Every stored password must open here before a byte is written: a failure names the device.
            foreach (var d in withCredentials) Zero(OpenLocal(d));

            var include = (selection.Devices.Count > 0 ? BundleContent.Devices : 0) | (selection.Licences.Count > 0 ? BundleContent.Licences : 0) | (selection.Firmware.Count > 0 ? BundleContent.Firmware : 0);
            ExportFileWriter.Write(path, force, stream => BundleWriter.Write(stream, box =>
            {
                var parts = new List<BundlePartSource>
                {
                    new BundlePartSource(BundleParts.MetadataName, BundlePartKind.Metadata,
                        BundleParts.Metadata(include, selection.Devices.Count, selection.Licences.Count, selection.Firmware.Count, DateTimeOffset.UtcNow)),
                };
                if (selection.Devices.Count > 0)
                    parts.Add(new BundlePartSource(BundleParts.DevicesName, BundlePartKind.Devices, BundleParts.Devices(selection.Devices, d => Seal(box!, d))));
                if (selection.Licences.Count > 0)
                    parts.Add(new BundlePartSource(BundleParts.LicencesName, BundlePartKind.Licences, BundleParts.Licences(selection.Licences)));
                foreach (var package in selection.Firmware)
                {
                    // Only verified bytes travel: the cached file is checked against its recorded SHA-256 first.
                    using (_stores.Firmware.OpenVerified(package)) { }
                    parts.Add(new BundlePartSource(package.FileName, BundlePartKind.Firmware, _stores.Firmware.PathOf(package)));
                }
                return parts;
            }, password, _cost));

            _stores.Logger.LogInformation("Exported a bundle with {Devices} device(s), {Licences} licence(s) and {Firmware} firmware file(s) to {Path}.",
                selection.Devices.Count, selection.Licences.Count, selection.Firmware.Count, path);
            return new BundleExportResult(path, ExportFormat.Bundle, password != null, selection.Devices.Count, withCredentials.Count,
                selection.Licences.Count, selection.Firmware.Count, new System.IO.FileInfo(path).Length);
        }

        private string Seal(BundleSecretBox box, NmcDevice device)
        {
            var secret = OpenLocal(device);
            try { return box.Seal(secret, BundleParts.SealedPasswordData(device.Id)); }
            finally { Zero(secret); }
        }

        private byte[] OpenLocal(NmcDevice device)
        {
            byte[] blob;
            try { blob = Convert.FromBase64String(device.ProtectedPassword!); }
            catch (FormatException e) { throw Unreadable(device, "it is not valid base64 text", e); }
            try { return _stores.Protector.Unprotect(blob, Encoding.UTF8.GetBytes(DeviceCredentials.AssociatedDataFor(device))); }
            catch (CredentialProtectionException e) { throw Unreadable(device, e.Message, e); }
        }

        private static DataExchangeException Unreadable(NmcDevice device, string why, Exception inner) =>
            new DataExchangeException(DataExchangeError.CredentialUnreadable,
                $"The stored password of device '{device.DisplayName}' cannot be decrypted on this machine ({why}); set it again with Set-NmcDevice -Credential, or export without it. Nothing was written.", inner);

        private static void Zero(byte[] bytes) => Array.Clear(bytes, 0, bytes.Length);

        internal static string Names(IReadOnlyList<NmcDevice> devices) =>
            string.Join(", ", devices.Take(3).Select(d => d.DisplayName)) + (devices.Count > 3 ? $" (plus {devices.Count - 3} more)" : "");
    }
}
