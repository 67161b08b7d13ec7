using System;
using System.IO;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Tests.Inventory;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.Settings
{
    /// <summary>The LicensingEndpoint and LicensingServiceKey settings: validated when set and when read, absent in older files.</summary>
    public class LicensingSettingsTests : IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();
        private SettingsStore NewStore() => new SettingsStore(_temp.Folder);

        public void Dispose() => _temp.Dispose();

        private static string ServiceKey()
        {
            using (var signer = LicenceSigner.CreateNew()) return signer.PublicKey.ToBase64();
        }

        [Fact]
        public void A_settings_file_from_before_the_licensing_settings_loads_with_them_unset()
        {
            Directory.CreateDirectory(_temp.Path);
            File.WriteAllText(_temp.Folder.SettingsFile, "{\"format\":\"SecureNmc.Settings\",\"version\":1,\"settings\":{\"ConcurrentRequests\":7,\"BackupBeforeUpdate\":false}}");
            var loaded = NewStore().Load();
            Assert.Equal(7, loaded.ConcurrentRequests);
            Assert.Null(loaded.LicensingEndpoint);
            Assert.Null(loaded.LicensingServiceKey);
            Assert.False(loaded.IsSet(SettingDefinition.LicensingEndpoint));
            Assert.Contains(loaded.Describe(), i => i.Name == SettingDefinition.LicensingServiceKey && i.IsDefault && i.Value == null);

            NewStore().Update(s => s.LicensingEndpoint = "https://licensing.example.com/snmc/");
            var rewritten = NewStore().Load();
            Assert.Equal(7, rewritten.ConcurrentRequests);
            Assert.False(rewritten.BackupBeforeUpdate);
            Assert.Equal("https://licensing.example.com/snmc/", rewritten.LicensingEndpoint);
        }

        [Fact]
        public void Endpoint_and_key_round_trip_and_reset_to_unset()
        {
            var key = ServiceKey();
            NewStore().Update(s => { s.Set("licensingendpoint", "  http://127.0.0.1:45678/  "); s.LicensingServiceKey = key; });
            var loaded = NewStore().Load();
            Assert.Equal("http://127.0.0.1:45678/", loaded.LicensingEndpoint); // loopback may use plain http (the simulator)
            Assert.Equal(key, loaded.LicensingServiceKey);

            NewStore().Update(s => { s.Reset(SettingDefinition.LicensingEndpoint); s.Reset(SettingDefinition.LicensingServiceKey); });
            var reset = NewStore().Load();
            Assert.Null(reset.LicensingEndpoint);
            Assert.Null(reset.LicensingServiceKey);
            Assert.DoesNotContain("Licensing", File.ReadAllText(_temp.Folder.SettingsFile));
        }

        [Theory]
        [InlineData("licensing.example.com/snmc", "absolute https:// address")]
        [InlineData("ftp://licensing.example.com/", "absolute https:// address")]
        [InlineData("http://licensing.example.com/snmc/", "must use https")]
        [InlineData("https://licensing.example.com/snmc/?tenant=1", "without a query")]
        [InlineData("https://licensing.example.com/snmc/#top", "without a query")]
        public void Unsafe_or_malformed_endpoints_are_refused_before_saving(string endpoint, string fragment)
        {
            var ex = Assert.Throws<SettingValidationException>(() => NewStore().Update(s => s.LicensingEndpoint = endpoint));
            Assert.Equal(SettingDefinition.LicensingEndpoint, ex.SettingName);
            Assert.Contains(fragment, ex.Message);
            Assert.False(File.Exists(_temp.Folder.SettingsFile));
        }

        [Fact]
        public void An_endpoint_with_a_password_is_refused_without_repeating_the_password()
        {
            var ex = Assert.Throws<SettingValidationException>(() => new NmcSettings().LicensingEndpoint = "https://operator:Hunter2Secret@licensing.example.com/");
            Assert.Contains("must not contain a user name or password", ex.Message);
            Assert.DoesNotContain("Hunter2Secret", ex.Message);
            var other = Assert.Throws<SettingValidationException>(() => new NmcSettings().LicensingEndpoint = "ftp://operator:Hunter2Secret@licensing.example.com/");
            Assert.DoesNotContain("Hunter2Secret", other.Message);
        }

        [Theory]
        [InlineData("not base64 at all!", "not base64")]
        [InlineData("AAAA", "is 3 bytes")]
        public void A_key_that_is_not_a_P256_point_is_refused(string key, string fragment)
        {
            var ex = Assert.Throws<SettingValidationException>(() => new NmcSettings().LicensingServiceKey = key);
            Assert.Equal(SettingDefinition.LicensingServiceKey, ex.SettingName);
            Assert.Contains("LicensingServiceKey", ex.Message);
            Assert.Contains(fragment, ex.Message);
        }

        [Fact]
        public void A_hand_edited_bad_key_in_the_file_is_reported_as_damage_naming_the_setting()
        {
            Directory.CreateDirectory(_temp.Path);
            File.WriteAllText(_temp.Folder.SettingsFile, "{\"format\":\"SecureNmc.Settings\",\"version\":1,\"settings\":{\"LicensingServiceKey\":\"AAAA\"}}");
            var ex = Assert.Throws<StoreCorruptException>(() => NewStore().Load());
            Assert.Contains("LicensingServiceKey", ex.Message);
            Assert.Contains(_temp.Folder.SettingsFile, ex.Message);
        }
    }
}
