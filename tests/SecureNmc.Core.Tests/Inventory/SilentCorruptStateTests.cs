using System;
using System.IO;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Inventory
{
    /// <summary>Damaged data-folder states that used to read as "nothing there" are reported, naming the file.</summary>
    public sealed class SilentCorruptStateTests : IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void An_inventory_file_replaced_by_a_folder_is_reported_not_read_as_empty()
        {
            Directory.CreateDirectory(_temp.Folder.InventoryFile);
            var inventory = new DeviceInventory(_temp.Folder, lockTimeout: TimeSpan.FromSeconds(5));

            var ex = Assert.Throws<StoreCorruptException>(() => inventory.GetAll());

            Assert.Equal(_temp.Folder.InventoryFile, ex.FilePath);
            Assert.Contains("is a folder, not a file", ex.Message);
            Assert.Contains("move it aside", ex.Message);
        }

        [Fact]
        public void A_damaged_firmware_catalog_is_a_store_error_naming_the_file()
        {
            var library = new FirmwareLibrary(_temp.Folder.FirmwareCacheFolder);
            Directory.CreateDirectory(_temp.Folder.FirmwareCacheFolder);
            var catalog = Path.Combine(_temp.Folder.FirmwareCacheFolder, FirmwareLibrary.CatalogFileName);
            File.WriteAllText(catalog, "{ this is not a catalog");

            var ex = Assert.Throws<StoreCorruptException>(() => library.GetCatalog());

            Assert.Equal(catalog, ex.FilePath);
            Assert.Contains("firmware catalog", ex.Message);
        }

        [Fact]
        public void A_garbage_journal_counts_its_damaged_lines_but_a_torn_last_line_is_normal()
        {
            Directory.CreateDirectory(_temp.Folder.JournalFolder);
            var journal = Path.Combine(_temp.Folder.JournalFolder, "updates.jsonl");
            File.WriteAllText(journal, "garbage line one\n{\"not\":\"a record\"}\n\u0000\u0001binary\n");
            Assert.Equal(2, UpdateHistory.DamagedLines(journal)); // the last bad line may be a torn write: not counted
            Assert.Empty(UpdateHistory.LastRun(journal));

            File.WriteAllText(journal,
                "{\"time\":\"2026-12-03T14:47:07Z\",\"run\":\"081ae650-4b09-414f-bf61-d691024c46ed\",\"kind\":\"run-started\",\"cards\":1}\n" +
                "{\"time\":\"2026-12-03T14:47:08Z\",\"run\":\"081ae650-4b09-414f-bf61-d6910"); // killed mid-write
            Assert.Equal(0, UpdateHistory.DamagedLines(journal));
        }
    }
}
