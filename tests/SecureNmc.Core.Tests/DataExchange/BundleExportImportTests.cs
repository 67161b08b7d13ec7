using System;
using System.IO;
using System.Linq;
using SecureNmc.Core.Bundles;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Security;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.DataExchange
{
    /// <summary>Export rules (password, overwrite, selection) and import rules (conflicts, re-protection, -WhatIf).</summary>
    public sealed class BundleExportImportTests : IDisposable
    {
        private const string CardPassword = "Adm1n!pw-Zq7";
        private static readonly char[] BundlePassword = "bundle pass phrase 42".ToCharArray();
        private readonly LicenceSigner _signer = LicenceSigner.CreateNew();
        private readonly Machine _a;
        private readonly Machine _b;
        private readonly TempFolder _downloads = new TempFolder();

        public BundleExportImportTests()
        {
            _a = new Machine("a", _signer.PublicKey);
            _b = new Machine("b", _signer.PublicKey);
        }

        public void Dispose()
        {
            _a.Dispose();
            _b.Dispose();
            _downloads.Dispose();
            _signer.Dispose();
        }

        private void PopulateA()
        {
            _a.AddDevice("10.0.0.1", "UPS 1", "admin", CardPassword, "ZA2101000001", ApplicationType.SU, "2.5.0.6");
            _a.AddDevice("10.0.0.2", "PDU 2", "apc", "Other#Pass2", "ZA2101000002", ApplicationType.RPDU2G, "2.5.0.6");
            _a.AddDevice("ups3.example.com", "UPS 3", serial: "ZA2101000003", app: ApplicationType.SU, version: "2.5.0.6");
            _a.Stores.Licences!.Save(Licences.Signed(_signer, "ZA2101000001", ApplicationType.SU));
            _a.Stores.Licences!.Save(Licences.Signed(_signer, "ZA2101000002", ApplicationType.RPDU2G));
            _a.Stores.Firmware.Import(TestFirmware.Write(_downloads.Path, ApplicationType.SU, "2.6.0.2"));
            _a.Stores.Firmware.Import(TestFirmware.Write(_downloads.Path, ApplicationType.RPDU2G, "2.6.0.2"));
        }

        private string ExportAll(char[]? password = null, BundleContent include = BundleContent.All)
        {
            var path = _a.PathFor("all.snmc");
            _a.Exporter.ExportBundle(path, _a.Exporter.Select(null, include), password ?? BundlePassword, force: false);
            return path;
        }

        [Fact]
        public void A_bundle_carries_devices_with_credentials_licences_and_firmware_to_another_data_folder()
        {
            PopulateA();
            var path = ExportAll();

            var result = _b.Importer.Import(path, BundlePassword, ImportConflict.Skip);

            Assert.Equal(3, result.Count(BundleItemKind.Device, BundleImportAction.Added));
            Assert.Equal(2, result.Count(BundleItemKind.Licence, BundleImportAction.Added));
            Assert.Equal(2, result.Count(BundleItemKind.Firmware, BundleImportAction.Added));
            Assert.Equal(CardPassword, _b.PasswordOf("10.0.0.1"));
            Assert.Equal("Other#Pass2", _b.PasswordOf("10.0.0.2"));
            Assert.Null(_b.Protector.GetCredential(_b.Inventory.GetAll().Single(d => d.Host == "ups3.example.com")));
            // Re-protected for B: B's blob differs from A's, and A's key cannot open it.
            var onA = _a.Inventory.GetAll().Single(d => d.Host == "10.0.0.1");
            var onB = _b.Inventory.GetAll().Single(d => d.Host == "10.0.0.1");
            Assert.Equal(onA.Id, onB.Id);
            Assert.NotEqual(onA.ProtectedPassword, onB.ProtectedPassword);
            Assert.ThrowsAny<Exception>(() => _a.Protector.GetCredential(onB));
            Assert.Equal(2, _b.Stores.Licences!.All().Count);
            Assert.Empty(_b.Stores.Licences!.Rejected);
            Assert.Empty(_b.Stores.Firmware.VerifyCache());
            Assert.Equal(2, _b.Stores.Firmware.GetCatalog().Packages.Count(p => p.IsCached));
            Assert.False(Directory.Exists(Path.Combine(_b.Root, "ImportStaging")));
            // The bundle file itself holds no password in any readable form.
            var bytes = File.ReadAllBytes(path);
            Assert.False(Bytes.Contains(bytes, CardPassword));
            Assert.False(Bytes.Contains(bytes, "Other#Pass2"));
        }

        [Fact]
        public void A_bundle_with_credentials_cannot_be_written_without_a_password()
        {
            PopulateA();
            var path = _a.PathFor("nopw.snmc");
            var e = Assert.Throws<DataExchangeException>(() => _a.Exporter.ExportBundle(path, _a.Exporter.Select(null, BundleContent.All), null, false));
            Assert.Equal(DataExchangeError.PasswordRequired, e.Error);
            Assert.Contains("-Password", e.Message);
            Assert.Contains("UPS 1", e.Message);
            Assert.False(File.Exists(path));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"));
        }

        [Fact]
        public void An_unencrypted_bundle_of_devices_without_credentials_and_of_licences_and_firmware_holds_no_secret()
        {
            PopulateA();
            var path = _a.PathFor("plain.snmc");
            var noCredentials = _a.Inventory.GetAll().Where(d => !d.HasStoredCredential).ToList();
            _a.Exporter.ExportBundle(path, _a.Exporter.Select(noCredentials, BundleContent.All), null, false);

            var bytes = File.ReadAllBytes(path);
            Assert.False(Bytes.Contains(bytes, CardPassword));
            Assert.False(Bytes.Contains(bytes, "protectedPassword"));
            // Firmware and licences need a password to be trusted: refused, and nothing changes...
            var refused = Assert.Throws<DataExchangeException>(() => _b.Importer.Import(path, null, ImportConflict.Skip));
            Assert.Equal(DataExchangeError.UnencryptedContent, refused.Error);
            Assert.Contains("-AllowUnencrypted", refused.Message);
            Assert.Empty(_b.Inventory.GetAll());
            Assert.Empty(_b.Stores.Firmware.GetCatalog().Packages);
            Assert.Throws<DataExchangeException>(() => _b.Importer.Preview(path, null, ImportConflict.Skip));
            // ... unless asked for explicitly.
            var result = _b.Importer.Import(path, null, ImportConflict.Skip, allowUnencrypted: true);
            Assert.False(result.Encrypted);
            Assert.Equal("UPS 3", Assert.Single(_b.Inventory.GetAll()).Name);
            // Selected devices take their own licences and firmware only (UPS 3 has no licence; SU firmware).
            Assert.Empty(_b.Stores.Licences!.All());
            Assert.Equal(ApplicationType.SU, Assert.Single(_b.Stores.Firmware.GetCatalog().Packages).ApplicationType);
        }

        [Fact]
        public void An_existing_file_is_refused_unless_forced_and_a_forced_write_replaces_it_whole()
        {
            PopulateA();
            var path = _a.PathFor("exists.snmc");
            File.WriteAllText(path, "keep me");
            var e = Assert.Throws<DataExchangeException>(() => _a.Exporter.ExportBundle(path, _a.Exporter.Select(null, BundleContent.All), BundlePassword, false));
            Assert.Equal(DataExchangeError.FileExists, e.Error);
            Assert.Contains("-Force", e.Message);
            Assert.Equal("keep me", File.ReadAllText(path));
            Assert.Throws<DataExchangeException>(() => _a.Exporter.ExportCsv(path, null, false));
            Assert.Equal("keep me", File.ReadAllText(path));

            _a.Exporter.ExportBundle(path, _a.Exporter.Select(null, BundleContent.All), BundlePassword, force: true);
            Assert.Equal(3, _b.Importer.Import(path, BundlePassword, ImportConflict.Skip).Count(BundleItemKind.Device, BundleImportAction.Added));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*")); // no temp file left
        }

        [Fact]
        public void Conflicts_are_skipped_or_overwritten_per_device_and_reported()
        {
            PopulateA();
            var path = ExportAll();
            var local = _b.AddDevice("10.0.0.1", "Local name", "localuser", "local-pass");

            var skipped = _b.Importer.Import(path, BundlePassword, ImportConflict.Skip);
            var item = skipped.Items.Single(i => i.Kind == BundleItemKind.Device && i.Action == BundleImportAction.Skipped);
            Assert.Contains("10.0.0.1", item.Name);
            Assert.Contains("Local name", item.Detail);
            Assert.Equal("Local name", _b.Inventory.FindById(local.Id)!.Name);
            Assert.Equal("local-pass", _b.PasswordOf("10.0.0.1"));

            var overwritten = _b.Importer.Import(path, BundlePassword, ImportConflict.Overwrite);
            Assert.Equal(3, overwritten.Count(BundleItemKind.Device, BundleImportAction.Overwritten));
            Assert.Equal(2, overwritten.Count(BundleItemKind.Licence, BundleImportAction.AlreadyPresent));
            Assert.Equal(2, overwritten.Count(BundleItemKind.Firmware, BundleImportAction.AlreadyPresent));
            var now = _b.Inventory.GetAll().Single(d => d.Host == "10.0.0.1");
            Assert.Equal(local.Id, now.Id); // the local identity (journal, backups) is kept
            Assert.Equal("UPS 1", now.Name);
            Assert.Equal("ZA2101000001", now.SerialNumber);
            Assert.Equal(CardPassword, _b.PasswordOf("10.0.0.1"));
            Assert.Equal(3, _b.Inventory.GetAll().Count);
        }

        [Fact]
        public void Preview_reports_what_would_change_and_changes_nothing()
        {
            PopulateA();
            var path = ExportAll();
            _b.AddDevice("10.0.0.2", "Existing PDU");
            var before = _b.Snapshot();

            var preview = _b.Importer.Preview(path, BundlePassword, ImportConflict.Skip);

            Assert.False(preview.Applied);
            Assert.Equal(2, preview.Count(BundleItemKind.Device, BundleImportAction.Added));
            Assert.Equal(1, preview.Count(BundleItemKind.Device, BundleImportAction.Skipped));
            Assert.Equal(2, preview.Count(BundleItemKind.Licence, BundleImportAction.Added));
            Assert.Equal(2, preview.Count(BundleItemKind.Firmware, BundleImportAction.Added));
            Assert.All(preview.Items, i => Assert.False(i.Applied));
            Machine.AssertSame(before, _b.Snapshot());
        }

        [Fact]
        public void A_stored_password_that_does_not_open_here_stops_the_export_naming_the_device()
        {
            PopulateA();
            _a.Inventory.Update(_a.Inventory.GetAll().Single(d => d.Host == "10.0.0.2").Id, d => d.ProtectedPassword = Convert.ToBase64String(new byte[40]));
            var path = _a.PathFor("broken.snmc");
            var e = Assert.Throws<DataExchangeException>(() => _a.Exporter.ExportBundle(path, _a.Exporter.Select(null, BundleContent.All), BundlePassword, false));
            Assert.Equal(DataExchangeError.CredentialUnreadable, e.Error);
            Assert.Contains("PDU 2", e.Message);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void Licences_cannot_travel_without_a_trusted_key_to_verify_them()
        {
            PopulateA();
            var path = ExportAll();
            using var keyless = new Machine("keyless", null);
            var before = keyless.Snapshot();
            var e = Assert.Throws<DataExchangeException>(() => keyless.Importer.Import(path, BundlePassword, ImportConflict.Skip));
            Assert.Equal(DataExchangeError.NoTrustedLicensingKey, e.Error);
            Assert.Contains("LicensingServiceKey", e.Message);
            Machine.AssertSame(before, keyless.Snapshot());
            // Without licences the same machine takes devices and firmware.
            var noLicences = _a.PathFor("nolic.snmc");
            _a.Exporter.ExportBundle(noLicences, _a.Exporter.Select(null, BundleContent.Devices | BundleContent.Firmware), BundlePassword, false);
            Assert.Equal(3, keyless.Importer.Import(noLicences, BundlePassword, ImportConflict.Skip).Count(BundleItemKind.Device, BundleImportAction.Added));
        }
    }
}

namespace SecureNmc.Core.Tests.DataExchange
{
    public sealed class ExportAtomicityAndSettingsTests : IDisposable
    {
        private readonly LicenceSigner _signer = LicenceSigner.CreateNew();
        private readonly Machine _a;
        private readonly TempFolder _downloads = new TempFolder();

        public ExportAtomicityAndSettingsTests() => _a = new Machine("atomic", _signer.PublicKey);

        public void Dispose()
        {
            _a.Dispose();
            _downloads.Dispose();
            _signer.Dispose();
        }

        [Fact]
        public void An_export_that_fails_while_writing_leaves_neither_the_file_nor_a_temporary_file()
        {
            _a.AddDevice("10.3.0.1", "UPS", "admin", "pw-1", "ZA2101000031", ApplicationType.SU, "2.5.0.6");
            var package = _a.Stores.Firmware.Import(TestFirmware.Write(_downloads.Path, ApplicationType.SU, "2.6.0.2"));
            var selection = _a.Exporter.Select(null, BundleContent.All);
            // The cached file is damaged after it was selected: found while the bundle is being written.
            File.WriteAllBytes(_a.Stores.Firmware.PathOf(package), new byte[] { 1, 2, 3 });
            var path = _a.PathFor("damaged.snmc");

            Assert.Throws<SecureNmc.Core.Firmware.FirmwareIntegrityException>(() => _a.Exporter.ExportBundle(path, selection, "pw".ToCharArray(), false));

            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"));
        }

        [Fact]
        public void The_licensing_key_is_read_from_the_settings_file_by_name()
        {
            var settings = new SecureNmc.Core.Settings.SettingsStore(_a.Folder);
            Assert.Null(LicensingKeySetting.Read(settings.Load()));
            File.WriteAllText(_a.Folder.SettingsFile,
                "{ \"format\": \"SecureNmc.Settings\", \"version\": 1, \"settings\": { \"LicensingServiceKey\": \"" + _signer.PublicKey.ToBase64() + "\" } }");
            Assert.Equal(_signer.PublicKey.KeyId, LicensingKeySetting.Read(settings.Load())!.KeyId);
            File.WriteAllText(_a.Folder.SettingsFile,
                "{ \"format\": \"SecureNmc.Settings\", \"version\": 1, \"settings\": { \"LicensingServiceKey\": \"bm90IGEga2V5\" } }");
            var e = Record.Exception(() => LicensingKeySetting.Read(settings.Load()));
            Assert.NotNull(e);
            Assert.Contains("LicensingServiceKey", e!.Message);
        }
    }
}
