using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Csv;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Logging;
using SecureNmc.Core.Security;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Tests.Inventory;

namespace SecureNmc.Core.Tests.Security
{
    public class NoSecretInLogsTests
    {
        private const string Password = "L0gged-Never-7c1d";

        [Fact]
        public void ServicesLogWhatTheyDoButNeverThePassword()
        {
            using var temp = new TempDataFolder();
            var log = new QueuedLogger(minimumLevel: LogLevel.Trace);
            var protector = new KeyFileCredentialProtector(temp.Folder, log);
            var inventory = new DeviceInventory(temp.Folder, log);
            var csv = Path.Combine(temp.Path + "-devices.csv");
            try
            {
                File.WriteAllText(csv, $"Host,User,Password\n10.0.0.1,apc,{Password}\n10.0.0.1,apc,{Password}\nbad host,apc,{Password}\n");
                new DeviceFileImporter(inventory, protector, log).Import(csv);
            }
            finally { File.Delete(csv); }
            var id = inventory.GetAll()[0].Id;
            inventory.Update(id, d => protector.SetCredential(d, "apc", Password));
            inventory.Remove(id);
            new SettingsStore(temp.Folder, log).Update(s => s.ConcurrentRequests = 3);

            var entries = Drain(log);
            Assert.Contains(entries, e => e.Message.Contains("Imported 1 device"));
            Assert.Contains(entries, e => e.Message.Contains("Created the credential key file"));
            Assert.Contains(entries, e => e.Message.Contains("Removed device"));
            Assert.All(entries, e => Assert.DoesNotContain(Password, e.Message + e.Exception));
        }

        [Fact]
        public void QueuedLoggerKeepsOrderAcrossThreadsAndHonoursMinimumLevel()
        {
            var log = new QueuedLogger(minimumLevel: LogLevel.Debug);
            log.LogTrace("dropped");
            Parallel.For(0, 4, t => { for (int i = 0; i < 100; i++) log.LogDebug("t{Thread} {I}", t, i); });
            var entries = Drain(log);
            Assert.Equal(400, entries.Length);
            for (int t = 0; t < 4; t++)
            {
                var mine = entries.Where(e => e.Message.StartsWith($"t{t} ")).Select(e => int.Parse(e.Message.Split(' ')[1])).ToArray();
                Assert.Equal(Enumerable.Range(0, 100), mine);
            }
            Assert.False(log.TryDequeue(out _));
        }

        private static LogEntry[] Drain(QueuedLogger log)
        {
            var list = new System.Collections.Generic.List<LogEntry>();
            log.Drain(list.Add);
            return list.ToArray();
        }
    }
}
