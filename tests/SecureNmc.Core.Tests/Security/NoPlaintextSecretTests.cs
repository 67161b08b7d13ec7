using System;
using System.IO;
using System.Linq;
using System.Text;
using SecureNmc.Core.Csv;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Security;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Tests.Inventory;

namespace SecureNmc.Core.Tests.Security
{
    public class NoPlaintextSecretTests
    {
        private const string Password = "Pl41nText-Secret-9f3b";

        private static void AssertNoFileContains(string folder, string secret)
        {
            var patterns = new[] { Encoding.UTF8.GetBytes(secret), Encoding.Unicode.GetBytes(secret), Encoding.BigEndianUnicode.GetBytes(secret),
                Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))) };
            var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                var bytes = File.ReadAllBytes(file);
                foreach (var pattern in patterns)
                    Assert.True(IndexOf(bytes, pattern) < 0, $"{file} contains the password");
            }
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }

        [Fact]
        public void NoPasswordInAnyFileOfTheDataFolder()
        {
            using var temp = new TempDataFolder();
            var protector = CredentialProtectorFactory.ForCurrentUser(temp.Folder);
            var inventory = new DeviceInventory(temp.Folder);

            // By parameters / pipeline.
            var device = new DeviceInputNormalizer(protector).Create(new DeviceInput { Host = "10.0.0.1", UserName = "apc", Password = Password });
            inventory.Add(device);

            // From a device file kept outside the data folder.
            var csv = Path.Combine(Path.GetTempPath(), "securenmc-devices-" + Guid.NewGuid().ToString("N") + ".csv");
            try
            {
                File.WriteAllText(csv, $"Host,User,Password\n10.0.0.2,apc,{Password}\n10.0.0.3,apc,\"{Password}\"\n");
                var report = new DeviceFileImporter(inventory, protector).Import(csv);
                Assert.True(report.ContainsPlaintextPasswords);
                Assert.Equal(2, report.Added.Count);
            }
            finally { File.Delete(csv); }

            // Edited credential, settings, and a process adding with a password.
            var id = inventory.GetAll()[0].Id;
            inventory.Update(id, d => protector.SetCredential(d, "admin", Password + "2"));
            new SettingsStore(temp.Folder).Update(s => s.ConcurrentRequests = 4);
            using (var process = TwoProcessTests.StartStress(temp.Path, 7, 3, Password))
                TwoProcessTests.WaitForSuccess(process);

            AssertNoFileContains(temp.Path, Password);

            // ...and yet every password is still there for the connection.
            var all = new DeviceInventory(temp.Folder).GetAll();
            Assert.Equal(6, all.Count);
            Assert.Equal(Password + "2", protector.GetCredential(all.Single(d => d.Id == id))!.Password);
            Assert.All(all.Where(d => d.Id != id), d => Assert.Equal(Password, protector.GetCredential(d)!.Password));
        }
    }
}
