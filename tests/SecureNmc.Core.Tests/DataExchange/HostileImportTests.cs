using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SecureNmc.Core.Bundles;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Tests.Bundles;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Simulator.Licensing;
using static SecureNmc.Core.Tests.Bundles.BundleTestSupport;

namespace SecureNmc.Core.Tests.DataExchange
{
    /// <summary>
    /// Every hostile or broken bundle is refused with a specific error and leaves the target's
    /// inventory, licence store and firmware cache byte-for-byte as they were, including a failure
    /// half-way through applying a good bundle.
    /// </summary>
    public sealed class HostileImportTests : IDisposable
    {
        private static readonly char[] BundlePassword = "hostile tests pass".ToCharArray();
        private readonly LicenceSigner _signer = LicenceSigner.CreateNew();
        private readonly Machine _a;
        private readonly Machine _b;
        private readonly TestSupport.TempFolder _downloads = new TestSupport.TempFolder();
        private readonly string _good;

        public HostileImportTests()
        {
            _a = new Machine("a", _signer.PublicKey);
            _b = new Machine("b", _signer.PublicKey, lockTimeout: TimeSpan.FromMilliseconds(300));
            _a.AddDevice("10.1.0.1", "UPS A", "admin", "Secret-A-1", "ZA2101000011", ApplicationType.SU, "2.5.0.6");
            _a.AddDevice("10.1.0.2", "UPS B", "admin", "Secret-B-2", "ZA2101000012", ApplicationType.SU, "2.5.0.6");
            _a.Stores.Licences!.Save(Licences.Signed(_signer, "ZA2101000011", ApplicationType.SU));
            _a.Stores.Firmware.Import(TestFirmware.Write(_downloads.Path, ApplicationType.SU, "2.6.0.2", size: 5000));
            _good = _a.PathFor("good.snmc");
            _a.Exporter.ExportBundle(_good, _a.Exporter.Select(null, BundleContent.All), BundlePassword, false);

            // B already holds data of its own, so "unchanged" means something.
            _b.AddDevice("10.1.0.1", "B's own UPS", "local", "Local-Pw-9", "ZA2101000011", ApplicationType.SU, "2.4.0.1");
            _b.Stores.Licences!.Save(Licences.Signed(_signer, "ZA2101000099", ApplicationType.RPDU2G));
            _b.Stores.Firmware.Import(TestFirmware.Write(_downloads.Path, ApplicationType.RPDU2G, "2.6.0.2", size: 4000));
        }

        public void Dispose()
        {
            _a.Dispose();
            _b.Dispose();
            _downloads.Dispose();
            _signer.Dispose();
        }

        private Exception RefusedUnchanged(byte[] bundle, char[]? password = null, ImportConflict conflict = ImportConflict.Overwrite)
        {
            var path = _b.PathFor("hostile-" + Guid.NewGuid().ToString("N") + ".snmc");
            File.WriteAllBytes(path, bundle);
            var before = _b.Snapshot();
            var e = Record.Exception(() => _b.Importer.Import(path, password, conflict));
            Assert.NotNull(e);
            Assert.True(e is BundleException || e is DataExchangeException, e.ToString());
            Machine.AssertSame(before, _b.Snapshot());
            Assert.False(Directory.Exists(Path.Combine(_b.Root, "ImportStaging")));
            return e;
        }

        private static BundleError ErrorOf(Exception e) => Assert.IsType<BundleException>(e).Error;

        private byte[] Good => File.ReadAllBytes(_good);

        private static byte[] Metadata => Encoding.UTF8.GetBytes("{\"format\":\"SecureNmc.Bundle\",\"version\":1}");

        private static ForgedEntry Meta() => Plain("bundle.json", Metadata, BundlePartKind.Metadata);

        [Theory] // found by the fuzz pass: a "format" that is not a string escaped as a JsonFormatException
        [InlineData("{\"format\":1,\"version\":1}")]
        [InlineData("{\"format\":{\"a\":1},\"version\":1}")]
        [InlineData("{\"format\":[],\"version\":1}")]
        public void Metadata_whose_format_is_not_a_string(string metadata)
        {
            var bundle = Forge(new[] { Plain("bundle.json", Encoding.UTF8.GetBytes(metadata), BundlePartKind.Metadata) }, BundlePassword);
            var e = RefusedUnchanged(bundle, BundlePassword);
            Assert.Equal(BundleError.Malformed, ErrorOf(e));
            Assert.Contains("bundle.json", e.Message);
        }

        [Fact]
        public void Wrong_password()
        {
            var e = RefusedUnchanged(Good, "not the password".ToCharArray());
            Assert.Equal(BundleError.WrongPassword, ErrorOf(e));
        }

        [Fact]
        public void Missing_password()
        {
            Assert.Equal(BundleError.PasswordRequired, ErrorOf(RefusedUnchanged(Good, null)));
        }

        [Theory]
        [InlineData(0.999)]
        [InlineData(0.5)]
        [InlineData(0.1)]
        public void Truncated(double keep)
        {
            var good = Good;
            var cut = good.Take((int)(good.Length * keep)).ToArray();
            Assert.Equal(BundleError.Truncated, ErrorOf(RefusedUnchanged(cut, BundlePassword)));
        }

        [Theory]
        [InlineData(0.3)]
        [InlineData(0.6)]
        [InlineData(0.95)]
        public void One_tampered_byte(double where)
        {
            var bytes = Good;
            bytes[(int)(bytes.Length * where)] ^= 0x20;
            Assert.Equal(BundleError.Tampered, ErrorOf(RefusedUnchanged(bytes, BundlePassword)));
        }

        [Theory]
        [InlineData("../../inventory.json")]
        [InlineData("..\\Firmware\\packages\\x.nmc3")]
        [InlineData("/etc/passwd")]
        [InlineData("C:evil.nmc3")]
        [InlineData("..")]
        public void Path_traversal_names(string name)
        {
            var bundle = Forge(new[] { Meta(), Plain(name, new byte[] { 1, 2, 3 }, BundlePartKind.Firmware) }, BundlePassword);
            Assert.Equal(BundleError.UnsafeName, ErrorOf(RefusedUnchanged(bundle, BundlePassword)));
            Assert.False(File.Exists(Path.Combine(_b.Root, "x.nmc3")));
        }

        [Fact]
        public void Oversized_part()
        {
            var entry = Plain("apc_hw21_su_2.6.0.2.nmc3", new byte[16], BundlePartKind.Firmware);
            entry.DeclaredLength = entry.DeclaredStoredLength = 600UL * 1024 * 1024;
            Assert.Equal(BundleError.TooLarge, ErrorOf(RefusedUnchanged(Forge(new[] { Meta(), entry }, BundlePassword), BundlePassword)));
        }

        [Fact]
        public void Endlessly_compressing_part()
        {
            var bomb = Deflate(new byte[4 * 1024 * 1024]);
            var entry = new ForgedEntry { Name = "devices.json", Kind = BundlePartKind.Devices, Compression = 1, Stored = bomb, DeclaredLength = 1000, ActualContent = new byte[1000] };
            Assert.Equal(BundleError.TooLarge, ErrorOf(RefusedUnchanged(Forge(new[] { Meta(), entry }, BundlePassword), BundlePassword)));
        }

        [Fact]
        public void Duplicated_part_names()
        {
            var devices = Encoding.UTF8.GetBytes("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[]}");
            var bundle = Forge(new[] { Meta(), Plain("devices.json", devices), Plain("DEVICES.json", devices) }, BundlePassword);
            Assert.Equal(BundleError.DuplicateEntry, ErrorOf(RefusedUnchanged(bundle, BundlePassword)));
        }

        [Fact]
        public void Two_device_parts_under_different_names()
        {
            var devices = Encoding.UTF8.GetBytes("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[]}");
            var bundle = Forge(new[] { Meta(), Plain("devices.json", devices), Plain("more-devices.json", devices) }, BundlePassword);
            Assert.Equal(BundleError.DuplicateEntry, ErrorOf(RefusedUnchanged(bundle, BundlePassword)));
        }

        [Fact]
        public void The_same_device_twice_in_the_device_list()
        {
            var device = "{ \"id\": \"" + Guid.NewGuid() + "\", \"host\": \"10.9.9.9\", \"port\": 22 }";
            var device2 = "{ \"id\": \"" + Guid.NewGuid() + "\", \"host\": \"10.9.9.9\", \"port\": 22 }";
            var devices = Encoding.UTF8.GetBytes("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[" + device + "," + device2 + "]}");
            var e = RefusedUnchanged(Forge(new[] { Meta(), Plain("devices.json", devices) }, BundlePassword), BundlePassword);
            Assert.Equal(BundleError.DuplicateEntry, ErrorOf(e));
            Assert.Contains("10.9.9.9", e.Message);
        }

        [Fact]
        public void A_bundle_without_metadata_is_not_ours()
        {
            var devices = Encoding.UTF8.GetBytes("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[]}");
            Assert.Equal(BundleError.Malformed, ErrorOf(RefusedUnchanged(Forge(new[] { Plain("devices.json", devices) }, BundlePassword), BundlePassword)));
        }

        [Fact]
        public void A_password_in_an_unencrypted_bundle_is_refused()
        {
            var device = "{ \"id\": \"" + Guid.NewGuid() + "\", \"host\": \"10.9.9.8\", \"port\": 22, \"userName\": \"admin\", \"protectedPassword\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\" }";
            var devices = Encoding.UTF8.GetBytes("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[" + device + "]}");
            var e = RefusedUnchanged(Forge(new[] { Meta(), Plain("devices.json", devices) }, null));
            Assert.Equal(BundleError.Malformed, ErrorOf(e));
        }

        [Fact]
        public void A_licence_whose_signature_does_not_check()
        {
            var record = Licences.Signed(_signer, "ZA2101000077", ApplicationType.SU);
            record.ExpiresOn = record.ExpiresOn.AddYears(2);
            record.TermYears = 3;
            record.TermStartsOn = record.ExpiresOn.AddYears(-3);
            var content = BundleParts.Licences(new[] { record });
            var e = RefusedUnchanged(Forge(new[] { Meta(), Plain("licences.json", content, BundlePartKind.Licences) }, BundlePassword), BundlePassword);
            Assert.Equal(DataExchangeError.LicenceRejected, Assert.IsType<DataExchangeException>(e).Error);
            Assert.Contains("ZA2101000077", e.Message);
        }

        [Fact]
        public void A_licence_signed_by_another_key()
        {
            using var stranger = LicenceSigner.CreateNew();
            var content = BundleParts.Licences(new[] { Licences.Signed(stranger, "ZA2101000078", ApplicationType.SU) });
            var e = RefusedUnchanged(Forge(new[] { Meta(), Plain("licences.json", content, BundlePartKind.Licences) }, BundlePassword), BundlePassword);
            Assert.Equal(DataExchangeError.LicenceRejected, Assert.IsType<DataExchangeException>(e).Error);
        }

        [Fact]
        public void Firmware_that_differs_from_the_cache_record_of_the_same_package()
        {
            var known = _b.Stores.Firmware.GetCatalog().Packages.Single();
            var impostor = Plain(known.FileName, Encoding.UTF8.GetBytes("not the vendor's bytes"), BundlePartKind.Firmware);
            var e = RefusedUnchanged(Forge(new[] { Meta(), impostor }, BundlePassword), BundlePassword);
            Assert.Equal(DataExchangeError.FirmwareRejected, Assert.IsType<DataExchangeException>(e).Error);
            Assert.Contains(known.Sha256, e.Message);
        }

        [Fact]
        public void An_empty_firmware_part()
        {
            var e = RefusedUnchanged(Forge(new[] { Meta(), Plain(TestFirmware.FileName(ApplicationType.SU, "2.6.0.2"), Array.Empty<byte>(), BundlePartKind.Firmware) }, BundlePassword), BundlePassword);
            Assert.Equal(DataExchangeError.FirmwareRejected, Assert.IsType<DataExchangeException>(e).Error);
            Assert.Contains("empty", e.Message);
        }

        [Fact]
        public void A_firmware_part_that_is_not_a_package_name()
        {
            var e = RefusedUnchanged(Forge(new[] { Meta(), Plain("readme.txt", new byte[] { 1 }, BundlePartKind.Firmware) }, BundlePassword), BundlePassword);
            Assert.Equal(DataExchangeError.FirmwareRejected, Assert.IsType<DataExchangeException>(e).Error);
        }

        [Fact]
        public void Sealed_passwords_pasted_into_another_bundle_do_not_open()
        {
            // A password holder builds a new bundle around the sealed passwords of this one: the new
            // bundle has a new salt, so a new credential key, and the passwords do not open.
            byte[] devicesPart;
            using (var bundle = BundleReader.Read(new MemoryStream(Good), BundlePassword, _b.PathFor("stage")))
                devicesPart = bundle.OfKind(BundlePartKind.Devices).Single().ReadAllBytes();
            var e = RefusedUnchanged(Forge(new[] { Meta(), Plain("devices.json", devicesPart) }, BundlePassword), BundlePassword);
            Assert.Equal(BundleError.Tampered, ErrorOf(e));
            Assert.Contains("UPS A", e.Message);
        }

        [Fact]
        public void A_sealed_password_is_bound_to_its_device_id()
        {
            using var box = new BundleSecretBox(new byte[32]);
            var id = Guid.NewGuid();
            var sealedText = box.Seal(Encoding.UTF8.GetBytes("pw"), BundleParts.SealedPasswordData(id));
            Assert.Equal("pw", Encoding.UTF8.GetString(box.Open(sealedText, BundleParts.SealedPasswordData(id), "device x")));
            var e = Assert.Throws<BundleException>(() => box.Open(sealedText, BundleParts.SealedPasswordData(Guid.NewGuid()), "device y"));
            Assert.Equal(BundleError.Tampered, e.Error);
            Assert.Contains("device y", e.Message);
        }

        [Fact]
        public void A_failure_while_applying_restores_the_licence_store_and_cache_exactly()
        {
            var before = _b.Snapshot();
            // Another session holds the inventory lock past B's timeout: firmware and licences were already added.
            using (CrossProcessFileLock.Acquire(_b.Inventory.LockFilePath, TimeSpan.FromSeconds(5), "test"))
            {
                var e = Assert.Throws<DataExchangeException>(() => _b.Importer.Import(_good, BundlePassword, ImportConflict.Overwrite));
                Assert.Equal(DataExchangeError.ApplyFailed, e.Error);
                Assert.Contains("adding the devices", e.Message);
                Assert.Contains("exactly as they were", e.Message);
            }
            Machine.AssertSame(before, _b.Snapshot());
            Assert.Equal("Local-Pw-9", _b.PasswordOf("10.1.0.1"));

            // And once the lock is free, the same bundle imports.
            var result = _b.Importer.Import(_good, BundlePassword, ImportConflict.Overwrite);
            Assert.Equal(1, result.Count(BundleItemKind.Device, BundleImportAction.Overwritten));
            Assert.Equal("Secret-A-1", _b.PasswordOf("10.1.0.1"));
            Assert.Equal(2, _b.Stores.Firmware.GetCatalog().Packages.Count);
        }
    }
}
