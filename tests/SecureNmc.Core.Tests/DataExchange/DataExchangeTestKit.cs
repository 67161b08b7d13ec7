using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SecureNmc.Core.Bundles;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Security;
using SecureNmc.Core.Storage;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.DataExchange
{
    /// <summary>
    /// One "machine": its own data folder (SECURENMC_HOME-style), its own credential key, its own
    /// inventory, licence store and firmware cache. Two of these are the two sides of an air gap.
    /// </summary>
    internal sealed class Machine : IDisposable
    {
        public static readonly ScryptParameters CheapCost = new ScryptParameters(10, 8, 1);

        public Machine(string name, TrustedServiceKey? licensingKey, TimeSpan? lockTimeout = null)
        {
            Root = Path.Combine(Path.GetTempPath(), "securenmc-dx-" + name + "-" + Guid.NewGuid().ToString("N"));
            Folder = DataFolder.ForRoot(Root);
            Folder.EnsureExists();
            Protector = new KeyFileCredentialProtector(Folder);
            Inventory = new DeviceInventory(Folder, lockTimeout: lockTimeout);
            Stores = new DataExchangeStores(Folder, Inventory, Protector, licensingKey);
        }

        public string Root { get; }
        public DataFolder Folder { get; }
        public ICredentialProtector Protector { get; }
        public DeviceInventory Inventory { get; }
        public DataExchangeStores Stores { get; }
        public BundleExporter Exporter => new BundleExporter(Stores, CheapCost);
        public BundleImporter Importer => new BundleImporter(Stores);

        public NmcDevice AddDevice(string host, string name, string? user = null, string? password = null, string? serial = null, ApplicationType? app = null, string? version = null)
        {
            var d = new NmcDevice { Host = host, Name = name, SerialNumber = serial, ApplicationType = app, ApplicationVersion = version, AosVersion = version, Model = "AP9641" };
            if (user != null) Protector.SetCredential(d, user, password);
            Inventory.Add(d);
            return d;
        }

        public string PasswordOf(string host) =>
            Protector.GetCredential(Inventory.GetAll().Single(d => d.Host == host))!.Password;

        /// <summary>Every file of the data folder and its bytes, lock files excepted (they are never deleted, by design).</summary>
        public Dictionary<string, byte[]> Snapshot() =>
            Directory.GetFiles(Root, "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal) && !f.EndsWith(".lock.queue", StringComparison.Ordinal))
                .ToDictionary(f => Path.GetRelativePath(Root, f), File.ReadAllBytes);

        public static void AssertSame(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after)
        {
            Assert.Equal(before.Keys.OrderBy(k => k, StringComparer.Ordinal), after.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var pair in before) Assert.True(pair.Value.SequenceEqual(after[pair.Key]), $"{pair.Key} changed");
        }

        public string PathFor(string fileName) => Path.Combine(Path.GetDirectoryName(Root)!, Path.GetFileName(Root) + "-" + fileName);

        public void Dispose()
        {
            try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            foreach (var f in Directory.GetFiles(Path.GetDirectoryName(Root)!, Path.GetFileName(Root) + "-*"))
                try { File.Delete(f); } catch (IOException) { }
        }
    }

    internal static class Licences
    {
        public static LicenceRecord Signed(LicenceSigner signer, string serial, ApplicationType app, long number = 1)
        {
            var from = DateTime.UtcNow.Date.AddDays(-10);
            var r = new LicenceRecord
            {
                RecordId = Guid.NewGuid().ToString("N"), RecordNumber = number, CardSerial = serial, Family = SubscriptionFamilies.FamilyOf(app),
                ApplicationType = app, Kind = SubscriptionKind.Included, TermYears = 1,
                ValidFrom = from, TermStartsOn = from, ExpiresOn = SubscriptionRules.TermEnd(from, 1), IssuedAt = DateTimeOffset.UtcNow,
            };
            signer.Sign(r);
            return r;
        }
    }

    internal static class Bytes
    {
        /// <summary>True when <paramref name="needle"/> occurs in <paramref name="haystack"/> as UTF-8, UTF-16 LE/BE or base64.</summary>
        public static bool Contains(byte[] haystack, string needle)
        {
            var forms = new[]
            {
                Encoding.UTF8.GetBytes(needle), Encoding.Unicode.GetBytes(needle), Encoding.BigEndianUnicode.GetBytes(needle),
                Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(needle)).TrimEnd('=')),
            };
            return forms.Any(f => IndexOf(haystack, f) >= 0);
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
    }
}
