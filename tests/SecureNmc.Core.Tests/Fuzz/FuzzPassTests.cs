using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SecureNmc.Core.Bundles;
using SecureNmc.Core.Csv;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Security;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Tests.Inventory;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Tests.DataExchange;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Simulator.Licensing;
using Xunit;
using Xunit.Abstractions;

namespace SecureNmc.Core.Tests.Fuzz
{
    /// <summary>
    /// The fuzz pass of issue 13: over 10,000 generated inputs per run across devices.csv, the inventory
    /// and settings JSON, bundles and firmware names (see docs/fuzzing.md). Counts are per format.
    /// </summary>
    public sealed class FuzzPassTests : IDisposable
    {
        public const int CsvInputs = 4000, InventoryInputs = 2000, SettingsInputs = 2000, BundleInputs = 1500, BundleContentInputs = 600, FirmwareNameInputs = 2500, FirmwareImportInputs = 500;

        private readonly ITestOutputHelper _output;
        private readonly FuzzRunner _runner;
        private readonly TempFolder _scratch = new TempFolder();

        public FuzzPassTests(ITestOutputHelper output)
        {
            _output = output;
            _runner = new FuzzRunner(output);
        }

        public void Dispose() => _scratch.Dispose();

        [Fact]
        public void TotalIsAtLeastTenThousandInputs() =>
            Assert.True(CsvInputs + InventoryInputs + SettingsInputs + BundleInputs + BundleContentInputs + FirmwareNameInputs + FirmwareImportInputs >= 10_000);

        private static readonly string[] CsvSeeds =
        {
            "Host,Protocol,Port,UserName,Password,Name\n10.0.0.1,SCP,22,apc,secret,\"Rack 1, UPS A\"\n10.0.0.2,FTP,21,admin,\"say \"\"hi\"\"\",B\n",
            "; SNS Tool device file\n10.0.0.1,SCP,22,apc,pw,UPS one\n\n10.0.0.2,FTP\nnmc.example.com\n",
            "IPAddress,Port\r\n192.168.1.10,5022\r\n192.168.1.11,\r\n",
            "Name,Password,Login,Port,Protocol,Address\nMy UPS,pw,admin,21,FTP,ups.example.com\n",
            "Host,User,Password\n10.0.0.1,apc,\"two\nlines\"\n10.0.0.3,x,y\n",
        };

        [Fact]
        public void DeviceCsv()
        {
            using (var temp = new TempDataFolder())
            {
                var reader = new DeviceCsvReader(new KeyFileCredentialProtector(temp.Folder));
                long devices = 0, problems = 0;
                var seeds = CsvSeeds.Select(s => Encoding.UTF8.GetBytes(s))
                    .Concat(new[] { Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(CsvSeeds[0])).ToArray(), Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(CsvSeeds[1])).ToArray() })
                    .ToList();
                _runner.Run("devices.csv", CsvInputs, Array.Empty<Type>(), m => m.Mutate(seeds), bytes =>
                {
                    using (var text = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), true))
                    {
                        var result = reader.Read(text, "fuzz.csv");
                        devices += result.Rows.Count;
                        problems += result.Problems.Count;
                        // Junk never becomes a device: every device read has a host without control characters.
                        foreach (var row in result.Rows)
                            if (string.IsNullOrWhiteSpace(row.Device.Host) || row.Device.Host.Any(c => char.IsControl(c) || c == '\uFFFD'))
                                throw new InvalidOperationException($"Line {row.LineNumber} became a device with host '{row.Device.Host}'.");
                    }
                });
                _output.WriteLine($"devices.csv: {devices} device lines read, {problems} problem lines reported.");
            }
        }

        [Fact]
        public void InventoryJson()
        {
            using (var temp = new TempDataFolder())
            {
                temp.Folder.EnsureExists();
                var protector = new KeyFileCredentialProtector(temp.Folder);
                var inventory = new DeviceInventory(temp.Folder);
                var seeds = new List<byte[]>();
                var first = new NmcDevice { Host = "10.0.0.1", Name = "UPS A", SerialNumber = "ZA2101000011", ApplicationType = ApplicationType.SU, ApplicationVersion = "2.5.0.6", Model = "AP9641" };
                protector.SetCredential(first, "apc", "Secret-1");
                inventory.Add(first);
                seeds.Add(File.ReadAllBytes(temp.Folder.InventoryFile));
                inventory.Add(new NmcDevice { Host = "nmc2.example.com", Port = 5022, Protocol = TransferProtocol.Ftp, Name = "PDU \"2\"", SystemLocation = "rack-1, dc1", LastQueried = DateTimeOffset.UtcNow });
                inventory.Add(new NmcDevice { Host = "10.0.0.3", Name = "ü ñ 中" });
                seeds.Add(File.ReadAllBytes(temp.Folder.InventoryFile));

                _runner.Run("inventory.json", InventoryInputs, new[] { typeof(StoreException) }, m =>
                {
                    File.WriteAllBytes(temp.Folder.InventoryFile, m.MutateJson(seeds));
                    return temp.Folder;
                }, folder => new DeviceInventory(folder).GetAll(), temp.Path);
            }
        }

        [Fact]
        public void SettingsJson()
        {
            using (var temp = new TempDataFolder())
            {
                temp.Folder.EnsureExists();
                var store = new SettingsStore(temp.Folder);
                var seeds = new List<byte[]>();
                store.Update(s => s.ConcurrentRequests = 8);
                seeds.Add(File.ReadAllBytes(temp.Folder.SettingsFile));
                store.Update(s => { s.MaxFirmwareUpdateAttempts = 3; s.BackupBeforeUpdate = false; s.RestartTimeoutSeconds = 900; s.FirmwareCatalogUrl = "https://example.com/catalog.json"; });
                seeds.Add(File.ReadAllBytes(temp.Folder.SettingsFile));

                _runner.Run("settings.json", SettingsInputs, new[] { typeof(StoreException) }, m =>
                {
                    File.WriteAllBytes(temp.Folder.SettingsFile, m.MutateJson(seeds));
                    return temp.Folder;
                }, folder => new SettingsStore(folder).Load(), temp.Path);
            }
        }

        [Fact]
        public void Bundles()
        {
            var password = "fuzzing bundles".ToCharArray();
            using (var signer = LicenceSigner.CreateNew())
            using (var a = new Machine("fuzz-a", signer.PublicKey))
            using (var b = new Machine("fuzz-b", signer.PublicKey, lockTimeout: TimeSpan.FromMilliseconds(300)))
            {
                a.AddDevice("10.1.0.1", "UPS A", "admin", "Secret-A-1", "ZA2101000011", ApplicationType.SU, "2.5.0.6");
                a.AddDevice("10.1.0.2", "UPS B", null, null, "ZA2101000012", ApplicationType.SU, "2.5.0.6");
                a.Stores.Licences!.Save(Licences.Signed(signer, "ZA2101000011", ApplicationType.SU));
                a.Stores.Firmware.Import(TestFirmware.Write(_scratch.Path, ApplicationType.SU, "2.6.0.2", size: 3000));
                b.AddDevice("10.1.0.9", "B's own", "local", "Local-Pw-9", "ZA2101000019", ApplicationType.SU, "2.4.0.1");

                // Bundles are written once with the cheapest KDF the reader accepts, then mutated as bytes.
                var encrypted = a.PathFor("all.snmc");
                a.Exporter.ExportBundle(encrypted, a.Exporter.Select(null, BundleContent.All), password, false);
                var devicesOnly = a.PathFor("devices.snmc");
                a.Exporter.ExportBundle(devicesOnly, a.Exporter.Select(null, BundleContent.Devices), password, false);
                var seeds = new List<byte[]> { File.ReadAllBytes(encrypted), File.ReadAllBytes(devicesOnly) };
                var plain = a.PathFor("plain.snmc");
                var plainSelection = a.Exporter.Select(a.Inventory.GetAll().Where(d => d.ProtectedPassword == null).ToList(), BundleContent.Devices);
                if (Record.Exception(() => a.Exporter.ExportBundle(plain, plainSelection, null, false)) == null) seeds.Add(File.ReadAllBytes(plain));

                // Mutated bytes rarely get past the bundle's authentication, so the parts are also fuzzed
                // inside correctly sealed bundles: this reaches the devices, licences and metadata readers.
                // (Its devices carry no credentials: a sealed credential only opens with its own bundle's key.)
                var partsSource = a.PathFor("parts.snmc");
                a.Exporter.ExportBundle(partsSource, a.Exporter.Select(a.Inventory.GetAll().Where(d => d.ProtectedPassword == null).ToList(), BundleContent.All), password, false);
                List<(string Name, BundlePartKind Kind, byte[] Content)> parts;
                using (var stream = File.OpenRead(partsSource))
                using (var verified = BundleReader.Read(stream, password, _scratch.Path))
                    parts = verified.Parts.Select(p => (p.Name, p.Kind, p.ReadAllBytes())).ToList();
                var sealedInput = b.PathFor("fuzz-sealed.snmc");
                _runner.Run("bundle part", BundleContentInputs, new[] { typeof(BundleException), typeof(DataExchangeException) }, m =>
                {
                    int target = m.Random.Next(parts.Count);
                    var entries = parts.Select((p, i) =>
                    {
                        var content = i != target ? p.Content : p.Kind == BundlePartKind.Firmware ? m.Mutate(new[] { p.Content }) : m.MutateJson(new[] { p.Content });
                        return SecureNmc.Core.Tests.Bundles.BundleTestSupport.Plain(p.Name, content, p.Kind);
                    }).ToList();
                    File.WriteAllBytes(sealedInput, SecureNmc.Core.Tests.Bundles.BundleTestSupport.Forge(entries, password));
                    return m.Random.Next(2) == 0;
                }, preview =>
                {
                    if (preview) b.Importer.Preview(sealedInput, password, ImportConflict.Overwrite);
                    else b.Importer.Import(sealedInput, password, ImportConflict.Overwrite);
                }, b.Root);

                var input = b.PathFor("fuzz.snmc");
                _runner.Run("bundle", BundleInputs, new[] { typeof(BundleException), typeof(DataExchangeException) }, m =>
                {
                    File.WriteAllBytes(input, m.Mutate(seeds));
                    int how = m.Random.Next(6);
                    return (how, conflict: (ImportConflict)m.Random.Next(2));
                }, c =>
                {
                    var pw = c.how % 3 == 0 ? null : c.how % 3 == 1 ? password : "wrong".ToCharArray();
                    if (c.how < 3) b.Importer.Preview(input, pw, c.conflict, allowUnencrypted: c.how == 0);
                    else b.Importer.Import(input, pw, c.conflict, allowUnencrypted: c.how == 3);
                }, b.Root);
            }
        }

        private static readonly string[] FirmwareNameSeeds =
        {
            TestFirmware.FileName(ApplicationType.SU, "2.6.0.2"), TestFirmware.FileName(ApplicationType.RPDU2G, "2.5.0.6"),
            TestFirmware.FileName(ApplicationType.SU, "3.1.0.4", hardware: 21), TestFirmware.FileName(ApplicationType.SU, "2.9.0.2").ToUpperInvariant(),
        };

        [Fact]
        public void FirmwareNames()
        {
            int parsedCount = 0;
            _runner.Run("firmware name", FirmwareNameInputs, Array.Empty<Type>(), m => m.MutateText(FirmwareNameSeeds), name =>
            {
                if (FirmwarePackageName.TryParse(name, out var parsed, out var problem))
                {
                    parsedCount++;
                    if (parsed == null || !FirmwarePackageName.TryParse(parsed.FileName, out _, out _))
                        throw new InvalidOperationException($"'{name}' parsed, but its file name '{parsed?.FileName}' does not.");
                }
                else if (string.IsNullOrWhiteSpace(problem)) throw new InvalidOperationException($"'{name}' was refused without a reason.");
            });
            _output.WriteLine($"firmware name: {parsedCount} names parsed as NMC3 packages, {FirmwareNameInputs - parsedCount} refused with a reason.");
        }

        [Fact]
        public void FirmwareImports()
        {
            using (var temp = new TempDataFolder())
            {
                temp.Folder.EnsureExists();
                var library = new FirmwareLibrary(temp.Folder.FirmwareCacheFolder);
                library.Import(TestFirmware.Write(_scratch.Path, ApplicationType.SU, "2.6.0.2", size: 3000));
                var contents = FirmwareNameSeeds.Select(n => TestFirmware.Content(n, 2000)).ToList();
                var downloads = Path.Combine(_scratch.Path, "downloads");
                Directory.CreateDirectory(downloads);

                _runner.Run("firmware import", FirmwareImportInputs, new[] { typeof(InvalidDataException), typeof(FirmwareFileRefusedException), typeof(FirmwareIntegrityException) }, m =>
                {
                    foreach (var f in Directory.GetFiles(downloads)) File.Delete(f);
                    var name = m.MutateText(FirmwareNameSeeds);
                    if (!IsUsableFileName(name)) name = FirmwareNameSeeds[m.Random.Next(FirmwareNameSeeds.Length)];
                    var path = Path.Combine(downloads, name);
                    File.WriteAllBytes(path, m.Random.Next(10) == 0 ? Array.Empty<byte>() : m.Mutate(contents));
                    return path;
                }, path => library.Import(path), temp.Path);
            }
        }

        /// <summary>A name the file system can hold in one folder (the fuzzed name is a file name, not a path).</summary>
        private static bool IsUsableFileName(string name) =>
            name.Length > 0 && name != "." && name != ".." && Encoding.UTF8.GetByteCount(name) <= 255 &&
            name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && name.IndexOfAny(new[] { '/', '\\', '\0' }) < 0 && name.Trim() == name;
    }
}
