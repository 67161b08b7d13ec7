using System;
using System.IO;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Tests.Inventory;

namespace SecureNmc.Core.Tests.Settings
{
    public class SettingsStoreTests : IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();
        private SettingsStore NewStore() => new SettingsStore(_temp.Folder);

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void A_newer_versions_unknown_settings_are_written_back_exactly_numbers_included()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_temp.Folder.SettingsFile)!);
            File.WriteAllText(_temp.Folder.SettingsFile,
                "{\n  \"format\": \"" + SettingsStore.FormatName + "\",\n  \"version\": 1,\n  \"settings\": {\n" +
                "    \"ConcurrentRequests\": 12,\n    \"FutureRatio\": 1.5,\n    \"FutureExponent\": -3e2,\n" +
                "    \"FutureList\": [1, 2.25, \"x\", true, null],\n    \"FutureObject\": { \"big\": 12345678901234567890 }\n  }\n}\n");
            NewStore().Update(s => s.ConcurrentRequests = 13);
            var saved = File.ReadAllText(_temp.Folder.SettingsFile);
            Assert.Contains("\"ConcurrentRequests\": 13", saved);
            Assert.Contains("\"FutureRatio\": 1.5", saved);
            Assert.Contains("\"FutureExponent\": -3e2", saved);
            Assert.Contains("2.25", saved);
            Assert.Contains("12345678901234567890", saved);
            Assert.DoesNotContain("\"1.5\"", saved); // not turned into a string
            Assert.Equal(13, NewStore().Load().ConcurrentRequests);
        }

        [Fact]
        public void DefaultsWhenNoFile()
        {
            var s = NewStore().Load();
            Assert.Equal(10, s.ConcurrentRequests);
            Assert.Equal(3, s.MaxFirmwareUpdateAttempts);
            Assert.True(s.BackupBeforeUpdate);
            Assert.Null(s.DataFolder);
            Assert.All(s.Describe(), i => Assert.True(i.IsDefault));
        }

        [Fact]
        public void ValuesRoundTripAndOnlySetOnesAreStored()
        {
            NewStore().Update(s => { s.ConcurrentRequests = 25; s.BackupBeforeUpdate = false; });
            var loaded = NewStore().Load();
            Assert.Equal(25, loaded.ConcurrentRequests);
            Assert.False(loaded.BackupBeforeUpdate);
            Assert.Equal(3, loaded.MaxFirmwareUpdateAttempts);
            Assert.False(loaded.IsSet(SettingDefinition.MaxFirmwareUpdateAttempts));
            Assert.DoesNotContain("MaxFirmwareUpdateAttempts", File.ReadAllText(_temp.Folder.SettingsFile));
        }

        [Theory]
        [InlineData("ConcurrentRequests", 0, "from 1 to 100")]
        [InlineData("ConcurrentRequests", 101, "from 1 to 100")]
        [InlineData("MaxFirmwareUpdateAttempts", 0, "from 1 to 10")]
        [InlineData("concurrentrequests", "many", "whole number")]
        [InlineData("BackupBeforeUpdate", "perhaps", "true or false")]
        [InlineData("DataFolder", "relative/path", "absolute path")]
        public void InvalidValuesAreRejectedBeforeSaving(string name, object value, string fragment)
        {
            var ex = Assert.Throws<SettingValidationException>(() => NewStore().Update(s => s.Set(name, value)));
            Assert.Contains(fragment, ex.Message);
            Assert.False(File.Exists(_temp.Folder.SettingsFile));
        }

        [Fact]
        public void UnknownSettingNameIsAClearError()
        {
            var ex = Assert.Throws<ArgumentException>(() => new NmcSettings().Set("Colour", "blue"));
            Assert.Contains("ConcurrentRequests", ex.Message);
        }

        [Fact]
        public void SettingsFromANewerVersionSurviveARewrite()
        {
            Directory.CreateDirectory(_temp.Path);
            File.WriteAllText(_temp.Folder.SettingsFile,
                "{\"format\":\"SecureNmc.Settings\",\"version\":1,\"settings\":{\"ConcurrentRequests\":4,\"FirmwareCatalogUrl\":\"https://example.com/catalog\",\"Future\":{\"a\":[1,true,null]}}}");
            NewStore().Update(s => s.MaxFirmwareUpdateAttempts = 5);
            var text = File.ReadAllText(_temp.Folder.SettingsFile);
            Assert.Contains("\"FirmwareCatalogUrl\": \"https://example.com/catalog\"", text);
            Assert.Contains("\"a\"", text);
            var loaded = NewStore().Load();
            Assert.Equal(4, loaded.ConcurrentRequests);
            Assert.Equal(5, loaded.MaxFirmwareUpdateAttempts);
        }

        [Fact]
        public void OutOfRangeValueInFileIsCorruptionNamingTheFile()
        {
            Directory.CreateDirectory(_temp.Path);
            File.WriteAllText(_temp.Folder.SettingsFile, "{\"format\":\"SecureNmc.Settings\",\"version\":1,\"settings\":{\"ConcurrentRequests\":0}}");
            var ex = Assert.Throws<StoreCorruptException>(() => NewStore().Load());
            Assert.Contains(_temp.Folder.SettingsFile, ex.Message);
            Assert.Contains("ConcurrentRequests", ex.Message);
        }
    }
}
