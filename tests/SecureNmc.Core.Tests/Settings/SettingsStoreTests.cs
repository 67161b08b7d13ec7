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
