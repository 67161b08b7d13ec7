using System;
using System.IO;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Tests.Inventory
{
    public class DeviceInventoryTests : IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();
        private DeviceInventory NewInventory() => new DeviceInventory(_temp.Folder, lockTimeout: TimeSpan.FromSeconds(10));

        public void Dispose() => _temp.Dispose();

        internal static NmcDevice FullyPopulatedDevice() => new NmcDevice
        {
            Host = "ups1.example.com",
            Protocol = TransferProtocol.Ftp,
            Port = 5021,
            Name = "UPS \"one\" \\ rack\t4",
            UserName = "apc",
            ProtectedPassword = "AQIDBA==",
            AllowLegacySsh = true,
            PinnedHostKeyFingerprint = "SHA256:abc",
            Model = "AP9641",
            SerialNumber = "ZA1234567890",
            MacAddress = "28:29:86:00:00:01",
            HardwareRevision = "05",
            ApplicationType = ApplicationType.SUCAN,
            AosVersion = "2.5.0.8",
            ApplicationVersion = "2.5.0.6",
            BootloaderVersion = "1.5.1.1",
            SystemName = "Größe ü € 漢字",
            SystemContact = "ops@example.com",
            SystemLocation = "DC1 / Row 3",
            LastQueried = new DateTimeOffset(2026, 1, 21, 16, 8, 12, TimeSpan.FromHours(1)),
            Status = DeviceStatus.QueuedForUpdate,
            StatusDetail = "line1\nline2",
            StatusBasis = "ReadyForUpdate|SU|2.9.0.1",
            Added = new DateTimeOffset(2025, 12, 1, 8, 0, 0, TimeSpan.Zero),
        };

        [Fact]
        public void RoundTripKeepsEveryField()
        {
            var original = FullyPopulatedDevice();
            NewInventory().Add(original);
            var loaded = Assert.Single(NewInventory().GetAll());
            foreach (var property in typeof(NmcDevice).GetProperties())
                Assert.True(Equals(property.GetValue(original), property.GetValue(loaded)), $"{property.Name}: '{property.GetValue(original)}' != '{property.GetValue(loaded)}'");
        }

        [Fact]
        public void MissingFileIsAnEmptyInventory()
        {
            Assert.Empty(NewInventory().GetAll());
            Assert.False(File.Exists(_temp.Folder.InventoryFile));
        }

        [Fact]
        public void DuplicatesAreReportedNotDoubled()
        {
            var inventory = NewInventory();
            inventory.Add(new NmcDevice { Host = "nmc1.example.com", Port = 22 });
            var result = inventory.Add(new[]
            {
                new NmcDevice { Host = "NMC1.EXAMPLE.COM", Port = 22 },   // already there, other case
                new NmcDevice { Host = "nmc1.example.com", Port = 5022 }, // other port: a different endpoint
                new NmcDevice { Host = "10.0.0.9", Port = 22 },
                new NmcDevice { Host = "10.0.0.9", Port = 22 },           // repeated within the batch
            });
            Assert.Equal(2, result.Added.Count);
            Assert.Equal(2, result.Duplicates.Count);
            Assert.True(result.Duplicates[0].AlreadyInInventory);
            Assert.Equal(0, result.Duplicates[0].InputIndex);
            Assert.Contains("already in the inventory", result.Duplicates[0].Message);
            Assert.False(result.Duplicates[1].AlreadyInInventory);
            Assert.Equal(3, result.Duplicates[1].InputIndex);
            Assert.Equal(3, inventory.GetAll().Count);
        }

        [Fact]
        public void SameDeviceObjectAddedAgainWithAnotherHostIsADuplicateKeepingItsId()
        {
            var inventory = NewInventory();
            var device = new NmcDevice { Host = "10.0.0.1", Name = "a" };
            inventory.Add(device);
            device.Host = "10.0.0.2";
            var result = inventory.Add(device);
            Assert.Empty(result.Added);
            Assert.Contains("already in the inventory as 'a'", Assert.Single(result.Duplicates).Message);
            Assert.Equal(device.Id, Assert.Single(inventory.GetAll()).Id);
        }

        [Fact]
        public void UpdateRemoveAndSave()
        {
            var inventory = NewInventory();
            var a = inventory.Add(new NmcDevice { Host = "10.0.0.1", Name = "a" }).Added[0];
            var b = inventory.Add(new NmcDevice { Host = "10.0.0.2", Name = "b" }).Added[0];

            var renamed = inventory.Update(a.Id, d => d.Name = "renamed");
            Assert.Equal("renamed", renamed.Name);
            Assert.Equal("renamed", inventory.FindById(a.Id)!.Name);

            var ex = Assert.Throws<DuplicateDeviceException>(() => inventory.Update(a.Id, d => d.Host = "10.0.0.2"));
            Assert.Contains("10.0.0.2:22", ex.Message);
            Assert.Equal("10.0.0.1", inventory.FindById(a.Id)!.Host);

            b.Status = DeviceStatus.AtCurrentVersion;
            b.AosVersion = "3.0.0.1";
            inventory.Save(b);
            Assert.Equal(DeviceStatus.AtCurrentVersion, inventory.FindById(b.Id)!.Status);

            var removed = inventory.Remove(new[] { a.Id, Guid.NewGuid() });
            Assert.Single(removed.Removed);
            Assert.Single(removed.NotFound);
            Assert.Equal(new[] { "b" }, inventory.GetAll().Select(d => d.Name));
            Assert.Throws<DeviceNotFoundException>(() => inventory.Update(a.Id, d => d.Name = "x"));
        }

        [Fact]
        public void ReturnedDevicesAreCopies()
        {
            var inventory = NewInventory();
            inventory.Add(new NmcDevice { Host = "10.0.0.1" });
            inventory.GetAll()[0].Name = "changed without saving";
            Assert.NotEqual("changed without saving", inventory.GetAll()[0].Name);
        }

        [Fact]
        public void CorruptFileIsReportedAndNeverOverwritten()
        {
            var inventory = NewInventory();
            inventory.Add(new NmcDevice { Host = "10.0.0.1" });
            var damaged = File.ReadAllText(_temp.Folder.InventoryFile);
            damaged = damaged.Substring(0, damaged.Length / 2);
            File.WriteAllText(_temp.Folder.InventoryFile, damaged);

            var read = Assert.Throws<StoreCorruptException>(() => inventory.GetAll());
            Assert.Contains(_temp.Folder.InventoryFile, read.Message);
            Assert.Contains("truncated", read.Message);
            Assert.Contains("has not changed it", read.Message);

            Assert.Throws<StoreCorruptException>(() => inventory.Add(new NmcDevice { Host = "10.0.0.2" }));
            Assert.Equal(damaged, File.ReadAllText(_temp.Folder.InventoryFile));
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData("{\"format\":\"Other\",\"version\":1,\"devices\":[]}", "not a SecureNmc inventory")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":9,\"devices\":[]}", "newer SecureNmc")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[{\"host\":\"x\"}]}", "no \"id\"")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[{\"id\":\"7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a\",\"host\":\"x\",\"port\":\"22\"}]}", "\"port\" of device #1 must be a whole number")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[{\"id\":\"7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a\",\"host\":\"x\",\"status\":\"Exploded\"}]}", "\"status\" of device #1 must be one of")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[] } x", "line 1")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[{\"id\":\"7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a\",\"host\":\"x\",\"port\":70000}]}", "from 1 to 65535")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[{\"id\":\"7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a\",\"host\":\"x\"},{\"id\":\"7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a\",\"host\":\"y\"}]}", "more than once")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":1}", "no \"devices\"")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[{\"id\":\"7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a\",\"host\":\"x\",\"host\":\"y\"}]}", "duplicate member \"host\"")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[{\"id\":\"7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a\",\"host\":\"x\",\"port\":022}]}", "expected ',' or '}'")]
        [InlineData("{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"devices\":[{\"id\":\"7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a\",\"host\":\"x\"", "at the end of the document (truncated?)")]
        public void InvalidContentGetsSpecificMessage(string content, string fragment)
        {
            Directory.CreateDirectory(_temp.Path);
            File.WriteAllText(_temp.Folder.InventoryFile, content);
            var ex = Assert.Throws<StoreCorruptException>(() => NewInventory().GetAll());
            Assert.Contains(fragment, ex.Problem);
        }

        [Fact]
        public void FieldsFromALaterVersionAreIgnoredAndEachDeviceIsOneLine()
        {
            Directory.CreateDirectory(_temp.Path);
            File.WriteAllText(_temp.Folder.InventoryFile,
                "{\"format\":\"SecureNmc.Inventory\",\"version\":1,\"futureTop\":[1,{\"a\":null}],\"devices\":[" +
                "{\"id\":\"7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a\",\"host\":\"10.0.0.1\",\"protocol\":\"ftp\",\"licence\":{\"days\":365},\"status\":\"atcurrentversion\"}]}");
            var inventory = NewInventory();
            var d = Assert.Single(inventory.GetAll());
            Assert.Equal((TransferProtocol.Ftp, 21, DeviceStatus.AtCurrentVersion), (d.Protocol, d.Port, d.Status));

            inventory.Add(new NmcDevice { Host = "10.0.0.2" });
            var lines = File.ReadAllLines(_temp.Folder.InventoryFile);
            Assert.Equal(2, lines.Count(l => l.TrimStart().StartsWith("{ \"id\"")));
        }

        [Fact]
        public void OneTransactionUpdatesAndRemovesManyDevices()
        {
            var inventory = NewInventory();
            inventory.Add(Enumerable.Range(1, 300).Select(i => new NmcDevice { Host = $"10.0.{i / 250}.{i % 250 + 1}" }));
            var all = inventory.GetAll();
            inventory.Transact(tx =>
            {
                foreach (var d in all.Take(100)) tx.Remove(d.Id);
                foreach (var d in all.Skip(100)) tx.Update(d.Id, x => x.Status = DeviceStatus.ReadyForUpdate);
                Assert.Equal(200, tx.Devices.Count);
                return 0;
            });
            var after = inventory.GetAll();
            Assert.Equal(all.Skip(100).Select(d => d.Id), after.Select(d => d.Id)); // order kept
            Assert.All(after, d => Assert.Equal(DeviceStatus.ReadyForUpdate, d.Status));
        }

        [Fact]
        public void ConcurrentWritersInOneProcessLoseNothing()
        {
            var tasks = Enumerable.Range(1, 4).Select(t => System.Threading.Tasks.Task.Run(() =>
            {
                var inventory = NewInventory(); // separate instances, as separate runspaces would have
                for (int i = 1; i <= 25; i++) inventory.Add(new NmcDevice { Host = $"10.{t}.0.{i}" });
            })).ToArray();
            Assert.True(System.Threading.Tasks.Task.WaitAll(tasks, TimeSpan.FromMinutes(2)), "writers did not finish");
            Assert.Equal(100, NewInventory().GetAll().Count);
        }

        [Fact]
        public void LockHeldTooLongGivesAClearTimeoutError()
        {
            var inventory = new DeviceInventory(_temp.Folder, lockTimeout: TimeSpan.FromMilliseconds(300));
            using (CrossProcessFileLock.Acquire(_temp.Folder.InventoryLockFile, TimeSpan.FromSeconds(10), "device inventory"))
            {
                var ex = Assert.Throws<StoreLockTimeoutException>(() => inventory.Add(new NmcDevice { Host = "10.0.0.1" }));
                Assert.Contains(_temp.Folder.InventoryLockFile, ex.Message);
                Assert.Contains("another SecureNmc session", ex.Message);
            }
            Assert.Single(inventory.Add(new NmcDevice { Host = "10.0.0.1" }).Added); // released: works again
        }

        [Fact]
        public void TransactionThatThrowsSavesNothing()
        {
            var inventory = NewInventory();
            inventory.Add(new NmcDevice { Host = "10.0.0.1" });
            Assert.Throws<InvalidOperationException>(() => inventory.Transact<int>(tx =>
            {
                tx.TryAdd(new NmcDevice { Host = "10.0.0.2" });
                throw new InvalidOperationException("abort");
            }));
            Assert.Single(inventory.GetAll());
        }

        [Fact]
        public void FilterByWildcardStatusAndApplicationType()
        {
            var inventory = NewInventory();
            inventory.Add(new[]
            {
                new NmcDevice { Host = "10.0.0.1", Name = "ups-dc1-01", Status = DeviceStatus.AtCurrentVersion, ApplicationType = ApplicationType.SU },
                new NmcDevice { Host = "10.0.0.2", Name = "ups-dc2-01", Status = DeviceStatus.NotAccessible, ApplicationType = ApplicationType.SU },
                new NmcDevice { Host = "pdu7.example.com", Name = "pdu-dc1-07", Status = DeviceStatus.AtCurrentVersion, ApplicationType = ApplicationType.RPDU2G },
            });
            Assert.Equal(new[] { "ups-dc1-01", "pdu-dc1-07" }, inventory.Find(new DeviceFilter { Name = new[] { "*dc1*" } }).Select(d => d.Name));
            Assert.Equal(new[] { "pdu-dc1-07" }, inventory.Find(new DeviceFilter { Name = new[] { "pdu*.example.com" } }).Select(d => d.Name));
            Assert.Equal(new[] { "ups-dc1-01", "ups-dc2-01" }, inventory.Find(new DeviceFilter { Host = new[] { "10.0.0.[1-2]" } }).Select(d => d.Name));
            Assert.Equal(new[] { "ups-dc1-01" }, inventory.Find(new DeviceFilter { Status = new[] { DeviceStatus.AtCurrentVersion }, ApplicationType = new[] { ApplicationType.SU } }).Select(d => d.Name));
            var filter = new DeviceFilter { Name = new[] { "UPS-DC1-01", "nosuch", "none*" } };
            Assert.Single(inventory.Find(filter));
            Assert.Equal(new[] { "nosuch" }, filter.UnmatchedLiterals(inventory.GetAll()));
        }
    }
}
