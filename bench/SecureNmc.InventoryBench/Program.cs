using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using SecureNmc.Core.Csv;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Security;
using SecureNmc.Core.Storage;

namespace SecureNmc.InventoryBench
{
    /// <summary>
    /// Measures the inventory at 10,000 devices: load (what Get-NmcDevice pays; goal well under
    /// 300 ms, limit 1 s), one add to a full inventory, a 10,000-row CSV import, and a 10,000-device
    /// update in one transaction. Prints wall-clock and process CPU time: on a busy machine CPU time
    /// is the truer figure.
    /// </summary>
    public static class Program
    {
        public static int Main()
        {
            var root = Path.Combine(Path.GetTempPath(), "securenmc-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                var folder = DataFolder.ForRoot(root);
                var protector = CredentialProtectorFactory.ForCurrentUser(folder);
                var inventory = new DeviceInventory(folder);

                var csv = new StringBuilder("Host,Protocol,Port,UserName,Password,Name\n");
                for (int i = 0; i < 10_000; i++) csv.Append($"10.{i / 65536}.{i / 256 % 256}.{i % 256},SCP,22,apc,password-{i},UPS {i}\n");
                var csvPath = Path.Combine(Path.GetTempPath(), "securenmc-bench-" + Guid.NewGuid().ToString("N") + ".csv");
                File.WriteAllText(csvPath, csv.ToString());
                try
                {
                    var reader = new DeviceCsvReader(protector);
                    var noPasswords = new StringBuilder("Host,Protocol,Port,Name\n");
                    for (int i = 0; i < 10_000; i++) noPasswords.Append($"10.{i / 65536}.{i / 256 % 256}.{i % 256},SCP,22,UPS {i}\n");
                    for (int i = 0; i < 3; i++)
                    {
                        Measure("read 10,000-row CSV, no passwords", () => reader.Read(new StringReader(noPasswords.ToString()), "bench").Rows.Count);
                        Measure("read 10,000-row CSV, passwords protected", () => reader.ReadFile(csvPath).Rows.Count);
                    }
                    Measure("import 10,000-row CSV (passwords protected)", () => new DeviceFileImporter(inventory, protector).Import(csvPath).Added.Count);
                }
                finally { File.Delete(csvPath); }

                Measure("fill in query facts for 10,000 devices (one transaction)", () => inventory.Transact(tx =>
                {
                    foreach (var d in tx.Devices.ToList())
                        tx.Update(d.Id, x => { x.Model = "AP9641"; x.SerialNumber = "ZA" + x.Host; x.MacAddress = "28:29:86:00:00:01"; x.AosVersion = "2.5.0.8";
                            x.ApplicationVersion = "2.5.0.6"; x.BootloaderVersion = "1.5.1.1"; x.ApplicationType = ApplicationType.SU;
                            x.LastQueried = DateTimeOffset.UtcNow; x.Status = DeviceStatus.AtCurrentVersion; });
                    return 0;
                }));
                Console.WriteLine($"inventory file: {new FileInfo(folder.InventoryFile).Length / 1024} KiB");

                Measure("load 10,000 devices, first call (cold JIT)", () => inventory.GetAll().Count);
                for (int i = 0; i < 5; i++) Measure("load 10,000 devices (warm)", () => inventory.GetAll().Count);
                Measure("filter 10,000 devices by wildcard", () => inventory.Find(new DeviceFilter { Name = new[] { "UPS 99*" } }).Count);
                Measure("add 1 device to 10,000", () => inventory.Add(new NmcDevice { Host = "nmc-new.example.com" }).Added.Count);
                Measure("decrypt 10,000 passwords", () => inventory.GetAll().Count(d => protector.GetCredential(d) != null));
                return 0;
            }
            finally
            {
                try { Directory.Delete(root, true); } catch (IOException) { }
            }
        }

        private static void Measure(string what, Func<int> action)
        {
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            int result = action();
            clock.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            Console.WriteLine($"{what,-60} {clock.ElapsedMilliseconds,6} ms wall {cpu.TotalMilliseconds,8:0} ms CPU  ({result})");
        }
    }
}
