using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Tests.TestSupport;

namespace SecureNmc.Core.Tests.Firmware
{
    public class FirmwareLibraryTests
    {
        [Fact]
        public void Import_identifies_by_name_records_size_and_hash_and_marks_latest_per_type_and_hardware()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path,
                (ApplicationType.SU, "2.4.0.1"), (ApplicationType.SU, "2.5.0.6"), (ApplicationType.SY, "2.4.0.3"));

            var catalog = lib.GetCatalog();
            Assert.Equal(3, catalog.Packages.Count);
            var su = catalog.For(ApplicationType.SU, 21);
            Assert.Equal(new[] { "2.5.0.6", "2.4.0.1" }, su.Select(p => p.Version.ToString()));
            Assert.True(su[0].IsLatest);
            Assert.False(su[1].IsLatest);
            Assert.True(catalog.Latest(ApplicationType.SY, 21)!.IsLatest);
            var path = Path.Combine(temp.Path, "downloads", "apc_hw21_su_2.5.0.6.nmc3");
            Assert.Equal(TestFirmware.Sha256Of(path), su[0].Sha256);
            Assert.Equal(new FileInfo(path).Length, su[0].Size);
            Assert.True(su[0].IsCached);
            Assert.Equal(FirmwareSource.Imported, su[0].Source);

            // The catalog survives a new library instance (it is on disk, in the cache folder).
            var again = new FirmwareLibrary(lib.CacheFolder).GetCatalog();
            Assert.Equal(3, again.Packages.Count);
            Assert.True(File.Exists(Path.Combine(lib.CacheFolder, FirmwareLibrary.CatalogFileName)));
        }

        [Fact]
        public void Import_refuses_a_file_whose_name_is_not_a_package()
        {
            using var temp = new TempFolder();
            var bad = Path.Combine(temp.Path, "firmware-latest.nmc3");
            File.WriteAllBytes(bad, new byte[] { 1, 2, 3 });
            var lib = new FirmwareLibrary(temp.Sub("cache"));
            var ex = Assert.Throws<InvalidDataException>(() => lib.Import(bad));
            Assert.Contains("not an NMC3 firmware package name", ex.Message);
            Assert.Empty(lib.GetCatalog().Packages);
        }

        [Fact]
        public void Import_refuses_a_symbolic_link_even_to_a_readable_file_and_caches_nothing()
        {
            using var temp = new TempFolder();
            var secret = Path.Combine(temp.Path, "shadow");
            File.WriteAllText(secret, "root:$6$secret-hash:19000:0:99999:7:::");
            var link = Path.Combine(temp.Path, "apc_hw21_su_2.9.0.2.nmc3");
            File.CreateSymbolicLink(link, secret);
            var lib = new FirmwareLibrary(temp.Sub("cache"));

            var ex = Assert.Throws<FirmwareFileRefusedException>(() => lib.Import(link));

            Assert.Contains("symbolic link", ex.Message);
            Assert.Empty(lib.GetCatalog().Packages);
            Assert.False(Directory.Exists(lib.PackagesFolder) && Directory.EnumerateFiles(lib.PackagesFolder).Any());
        }

        [Fact]
        public void Import_refuses_a_pipe_at_once_instead_of_waiting_for_a_writer()
        {
            if (OperatingSystem.IsWindows()) return; // named pipes are not files on Windows
            using var temp = new TempFolder();
            var fifo = Path.Combine(temp.Path, "apc_hw21_su_2.9.0.2.nmc3");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo!.WaitForExit();
            var lib = new FirmwareLibrary(temp.Sub("cache"));

            var import = Task.Run(() => lib.Import(fifo));

            Assert.True(Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(10))).Result == import, "Import blocked on the FIFO");
            var ex = Assert.IsType<FirmwareFileRefusedException>(import.Exception!.InnerException);
            Assert.Contains("not a regular file", ex.Message);
        }

        [Fact]
        public void Import_refuses_a_file_larger_than_any_package_before_copying_it()
        {
            using var temp = new TempFolder();
            var huge = Path.Combine(temp.Path, "apc_hw21_su_2.9.0.2.nmc3");
            using (var stream = new FileStream(huge, FileMode.CreateNew)) stream.SetLength(FirmwareLibrary.MaxPackageBytes + 1); // sparse: no disk used
            var lib = new FirmwareLibrary(temp.Sub("cache"));

            var ex = Assert.Throws<FirmwareFileRefusedException>(() => lib.Import(huge));

            Assert.Contains("more than any NMC3 package", ex.Message);
            Assert.Empty(lib.GetCatalog().Packages);
        }

        [Fact]
        public void Import_refuses_different_bytes_under_a_name_the_catalog_already_knows()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"));
            var other = temp.Sub("other");
            var forged = Path.Combine(other, "apc_hw21_su_2.5.0.6.nmc3");
            File.WriteAllBytes(forged, new byte[] { 9, 9, 9, 9 });
            var ex = Assert.Throws<FirmwareIntegrityException>(() => lib.Import(forged));
            Assert.Contains("differs from the catalog's record", ex.Message);
            Assert.NotEqual(4, lib.GetCatalog().Packages.Single().Size);
        }

        [Fact]
        public void Open_verified_refuses_a_tampered_or_truncated_cache_file_and_names_it()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"), (ApplicationType.SY, "2.5.0.6"));
            var su = lib.GetCatalog().For(ApplicationType.SU, 21).Single();
            var sy = lib.GetCatalog().For(ApplicationType.SY, 21).Single();

            using (var ok = lib.OpenVerified(su)) Assert.Equal(su.Size, ok.Length);

            // Same length, one byte flipped: only the hash can tell.
            var bytes = File.ReadAllBytes(lib.PathOf(su));
            bytes[100] ^= 0xFF;
            File.WriteAllBytes(lib.PathOf(su), bytes);
            var tampered = Assert.Throws<FirmwareIntegrityException>(() => lib.OpenVerified(su));
            Assert.Contains("SHA-256", tampered.Message);
            Assert.Equal(su.FileName, tampered.FileName);

            using (var f = new FileStream(lib.PathOf(sy), FileMode.Open)) f.SetLength(f.Length - 10);
            var truncated = Assert.Throws<FirmwareIntegrityException>(() => lib.OpenVerified(sy));
            Assert.Contains("truncated", truncated.Message);

            Assert.Equal(2, lib.VerifyCache().Count);
        }

        [Fact]
        public async Task Missing_file_without_a_catalog_service_is_reported_as_unavailable_with_the_fix()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"));
            var su = lib.GetCatalog().Packages.Single();
            File.Delete(lib.PathOf(su));
            var ex = await Assert.ThrowsAsync<FirmwareNotAvailableException>(() => lib.OpenVerifiedAsync(su, CancellationToken.None));
            Assert.Contains("Import-NmcFirmware", ex.Message);
        }

        [Fact]
        public async Task Save_to_folder_writes_a_verified_copy_and_clear_empties_the_cache()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"), (ApplicationType.SY, "2.5.0.6"));
            var su = lib.GetCatalog().For(ApplicationType.SU, 21).Single();
            var outFolder = Path.Combine(temp.Path, "out");
            var saved = await lib.SaveToFolderAsync(su, outFolder, CancellationToken.None);
            Assert.Equal(su.Sha256, TestFirmware.Sha256Of(saved));

            var cleared = lib.Clear();
            Assert.Equal(2, cleared.FilesDeleted);
            Assert.Equal(2, cleared.CatalogEntriesRemoved);
            Assert.Empty(lib.GetCatalog().Packages);
            Assert.False(Directory.Exists(lib.PackagesFolder));
            Assert.True(File.Exists(saved)); // Download Only copies are the admin's, not the cache's
        }
    }
}
