using System;
using System.IO;
using System.Text;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Security;
using SecureNmc.Core.Tests.Inventory;

namespace SecureNmc.Core.Tests.Security
{
    public class KeyFileCredentialProtectorTests : IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();
        public void Dispose() => _temp.Dispose();

        private static readonly byte[] Ad = Encoding.UTF8.GetBytes("device-1");

        [Fact]
        public void KeyFileIsOwnerOnlyAndFolderToo()
        {
            Assert.False(OperatingSystem.IsWindows(), "this test covers the Linux/macOS key file");
            var protector = new KeyFileCredentialProtector(_temp.Folder);
            protector.Protect(new byte[] { 1, 2, 3 }, Ad);
            Assert.Equal(32, File.ReadAllBytes(_temp.Folder.CredentialKeyFile).Length);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_temp.Folder.CredentialKeyFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_temp.Path));
        }

        [Fact]
        public void InventoryAndSettingsFilesAreOwnerOnly()
        {
            new SecureNmc.Core.Inventory.DeviceInventory(_temp.Folder).Add(new NmcDevice { Host = "10.0.0.1" });
            new SecureNmc.Core.Settings.SettingsStore(_temp.Folder).Update(s => s.BackupBeforeUpdate = false);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_temp.Folder.InventoryFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_temp.Folder.SettingsFile));
        }

        [Fact]
        public void RoundTripWithVersionedBlob()
        {
            var protector = new KeyFileCredentialProtector(_temp.Folder);
            var blob = protector.Protect(Encoding.UTF8.GetBytes("secret"), Ad);
            Assert.Equal(1, blob[0]);
            Assert.Equal(1 + 12 + 6 + 16, blob.Length);
            Assert.Equal("secret", Encoding.UTF8.GetString(new KeyFileCredentialProtector(_temp.Folder).Unprotect(blob, Ad)));
            Assert.NotEqual(blob, protector.Protect(Encoding.UTF8.GetBytes("secret"), Ad)); // fresh nonce each time
        }

        [Fact]
        public void TamperingWrongRecordAndWrongKeyAreDetected()
        {
            var protector = new KeyFileCredentialProtector(_temp.Folder);
            var blob = protector.Protect(Encoding.UTF8.GetBytes("secret"), Ad);

            var tampered = (byte[])blob.Clone();
            tampered[20] ^= 1;
            Assert.Contains("integrity check", Assert.Throws<CredentialProtectionException>(() => protector.Unprotect(tampered, Ad)).Message);
            Assert.Throws<CredentialProtectionException>(() => protector.Unprotect(blob, Encoding.UTF8.GetBytes("device-2")));

            using var other = new TempDataFolder();
            var otherProtector = new KeyFileCredentialProtector(other.Folder);
            otherProtector.Protect(new byte[1], Ad);
            Assert.Throws<CredentialProtectionException>(() => otherProtector.Unprotect(blob, Ad));

            var dpapiBlob = (byte[])blob.Clone();
            dpapiBlob[0] = 2;
            Assert.Contains("DPAPI", Assert.Throws<CredentialProtectionException>(() => protector.Unprotect(dpapiBlob, Ad)).Message);
        }

        [Fact]
        public void PasswordCopiedToAnotherDeviceDoesNotOpen()
        {
            var protector = new KeyFileCredentialProtector(_temp.Folder);
            var a = new NmcDevice { Host = "10.0.0.1" };
            var b = new NmcDevice { Host = "10.0.0.2" };
            protector.SetCredential(a, "apc", "pw-a");
            b.UserName = "apc";
            b.ProtectedPassword = a.ProtectedPassword;
            var ex = Assert.Throws<CredentialProtectionException>(() => protector.GetCredential(b));
            Assert.Contains("10.0.0.2", ex.Message);
            Assert.DoesNotContain("pw-a", ex.Message);
        }

        [Fact]
        public void WorldReadableKeyIsRefused()
        {
            var protector = new KeyFileCredentialProtector(_temp.Folder);
            var blob = protector.Protect(new byte[] { 7 }, Ad);
            File.SetUnixFileMode(_temp.Folder.CredentialKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var ex = Assert.Throws<CredentialProtectionException>(() => new KeyFileCredentialProtector(_temp.Folder).Unprotect(blob, Ad));
            Assert.Contains("chmod 600", ex.Message);
        }

        [Fact]
        public void MissingKeyFileIsExplained()
        {
            var protector = new KeyFileCredentialProtector(_temp.Folder);
            var blob = protector.Protect(new byte[] { 7 }, Ad);
            File.Delete(_temp.Folder.CredentialKeyFile);
            var ex = Assert.Throws<CredentialProtectionException>(() => new KeyFileCredentialProtector(_temp.Folder).Unprotect(blob, Ad));
            Assert.Contains("does not exist", ex.Message);
        }

        [Fact]
        public void DeviceWithoutCredentialHasNone()
        {
            var protector = new KeyFileCredentialProtector(_temp.Folder);
            Assert.Null(protector.GetCredential(new NmcDevice { Host = "10.0.0.1" }));
            Assert.Null(protector.GetCredential(new NmcDevice { Host = "10.0.0.1", UserName = "apc" }));
        }

        [Fact]
        public void SecureStringOverloadStoresTheSamePassword()
        {
            var protector = new KeyFileCredentialProtector(_temp.Folder);
            var device = new NmcDevice { Host = "10.0.0.1" };
            var secure = new System.Net.NetworkCredential("", "p@ss wörd€漢").SecurePassword;
            protector.SetCredential(device, "apc", secure);
            Assert.Equal("p@ss wörd€漢", protector.GetCredential(device)!.Password);
        }
    }
}

namespace SecureNmc.Core.Tests.Security
{
    public class CredentialProtectorFactoryTests
    {
        [Fact]
        public void PicksTheKeyFileOnLinuxAndMacOs()
        {
            using var temp = new TempDataFolder();
            var protector = CredentialProtectorFactory.ForCurrentUser(temp.Folder);
            if (OperatingSystem.IsWindows()) Assert.IsType<DpapiCredentialProtector>(protector);
            else Assert.Equal(temp.Folder.CredentialKeyFile, Assert.IsType<KeyFileCredentialProtector>(protector).KeyFile);
        }
    }
}
