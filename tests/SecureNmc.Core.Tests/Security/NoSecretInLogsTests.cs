using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Csv;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Security;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Tests.Inventory;
using SecureNmc.Core.Tests.Licensing;

namespace SecureNmc.Core.Tests.Security
{
    public class NoSecretInLogsTests
    {
        private const string Password = "L0gged-Never-7c1d";

        [Fact]
        public void ServicesLogWhatTheyDoButNeverThePassword()
        {
            using var temp = new TempDataFolder();
            var log = new CapturingLogger();
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

            var entries = log.Lines.ToArray();
            Assert.Contains(entries, e => e.Contains("Imported 1 device"));
            Assert.Contains(entries, e => e.Contains("Created the credential key file"));
            Assert.Contains(entries, e => e.Contains("Removed device"));
            Assert.All(entries, e => Assert.DoesNotContain(Password, e));
        }
    }
}
