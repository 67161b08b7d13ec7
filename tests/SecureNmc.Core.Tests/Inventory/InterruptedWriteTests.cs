using System;
using System.IO;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Settings;

namespace SecureNmc.Core.Tests.Inventory
{
    /// <summary>A crash at any step of a write leaves the old or the new inventory, never a torn or lost one.</summary>
    public class InterruptedWriteTests
    {
        private static string[] Hosts(DeviceInventory inventory) => inventory.GetAll().Select(d => d.Host).ToArray();

        private static readonly string[] OldHosts = { "10.0.0.1", "10.0.0.2", "10.0.0.3" };
        private static readonly string[] NewHosts = { "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4" };

        private static void SeedOldInventory(TempDataFolder temp)
        {
            var inventory = new DeviceInventory(temp.Folder);
            inventory.Add(OldHosts.Select(h => new NmcDevice { Host = h, Name = "device " + h }));
        }

        private static void AddFourth(DeviceInventory inventory) =>
            inventory.Add(new NmcDevice { Host = "10.0.0.4", Name = string.Concat(Enumerable.Repeat("long name to make the write span more than one buffer ", 2000)) });

        private static int CountStepsOfOneWrite()
        {
            using var temp = new TempDataFolder();
            SeedOldInventory(temp);
            var recorder = new CrashingFileOperations(-1, false);
            AddFourth(new DeviceInventory(temp.Folder, files: recorder));
            Assert.Contains("Replace", recorder.Steps);
            Assert.Contains("FlushToDisk", recorder.Steps);
            return recorder.Steps.Count;
        }

        [Fact]
        public void CrashAtEveryStepLeavesOldOrNewInventory()
        {
            int steps = CountStepsOfOneWrite();
            int sawOld = 0, sawNew = 0;
            foreach (bool after in new[] { false, true })
            {
                for (int step = 0; step < steps; step++)
                {
                    using var temp = new TempDataFolder();
                    SeedOldInventory(temp);
                    var crashing = new CrashingFileOperations(step, after);
                    Assert.Throws<SimulatedCrashException>(() => AddFourth(new DeviceInventory(temp.Folder, files: crashing)));
                    Assert.True(crashing.Crashed);

                    // "Restart": a new session with the real file system.
                    var inventory = new DeviceInventory(temp.Folder, lockTimeout: TimeSpan.FromSeconds(10));
                    var hosts = Hosts(inventory);
                    var where = $"crash {(after ? "after" : "before")} step {step} ({crashing.Steps[step]})";
                    if (hosts.SequenceEqual(OldHosts)) sawOld++;
                    else if (hosts.SequenceEqual(NewHosts)) sawNew++;
                    else Assert.Fail($"{where}: inventory is neither old nor new: {string.Join(",", hosts)}");

                    // The next write works and clears the crashed writer's leftovers.
                    inventory.Add(new NmcDevice { Host = "10.0.0.5" });
                    Assert.Contains("10.0.0.5", Hosts(inventory));
                    Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
                }
            }
            // Both outcomes really happened: the crash points span the rename.
            Assert.True(sawOld > 0 && sawNew > 0, $"old {sawOld}, new {sawNew}");
        }

        [Fact]
        public void DiskFullIsAStoreErrorNamingTheFileAndKeepsTheOldInventory()
        {
            using var temp = new TempDataFolder();
            SeedOldInventory(temp);
            var ex = Assert.Throws<SecureNmc.Core.Storage.StoreException>(() => AddFourth(new DeviceInventory(temp.Folder, files: new DiskFullFileOperations())));
            Assert.Contains(temp.Folder.InventoryFile, ex.Message);
            Assert.Contains("Nothing was changed", ex.Message);
            Assert.Equal(OldHosts, Hosts(new DeviceInventory(temp.Folder)));
            Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp")); // the failed writer cleaned up after itself
        }

        private sealed class DiskFullFileOperations : SecureNmc.Core.Storage.IFileOperations
        {
            private readonly SecureNmc.Core.Storage.IFileOperations _real = SecureNmc.Core.Storage.PhysicalFileOperations.Instance;
            public bool FileExists(string path) => _real.FileExists(path);
            public bool DirectoryExists(string path) => _real.DirectoryExists(path);
            public void CreateDirectory(string path) => _real.CreateDirectory(path);
            public Stream OpenRead(string path) => _real.OpenRead(path);
            public Stream CreateNew(string path) => _real.CreateNew(path);
            public void Write(Stream stream, byte[] data) => throw new IOException("No space left on device.");
            public void FlushToDisk(Stream stream) => _real.FlushToDisk(stream);
            public void Close(Stream stream) => _real.Close(stream);
            public void Replace(string source, string destination) => _real.Replace(source, destination);
            public void Delete(string path) => _real.Delete(path);
            public string[] GetFiles(string directory, string searchPattern) => _real.GetFiles(directory, searchPattern);
        }

        [Fact]
        public void CrashWhileWritingSettingsLeavesOldOrNewSettings()
        {
            using var recordTemp = new TempDataFolder();
            new SettingsStore(recordTemp.Folder).Update(s => s.ConcurrentRequests = 5);
            var recorder = new CrashingFileOperations(-1, false);
            new SettingsStore(recordTemp.Folder, files: recorder).Update(s => s.ConcurrentRequests = 7);
            int steps = recorder.Steps.Count;

            foreach (bool after in new[] { false, true })
            {
                for (int step = 0; step < steps; step++)
                {
                    using var temp = new TempDataFolder();
                    new SettingsStore(temp.Folder).Update(s => s.ConcurrentRequests = 5);
                    var crashing = new CrashingFileOperations(step, after);
                    Assert.Throws<SimulatedCrashException>(() => new SettingsStore(temp.Folder, files: crashing).Update(s => s.ConcurrentRequests = 7));
                    var value = new SettingsStore(temp.Folder).Load().ConcurrentRequests;
                    Assert.True(value == 5 || value == 7, $"step {step}: {value}");
                }
            }
        }
    }
}
