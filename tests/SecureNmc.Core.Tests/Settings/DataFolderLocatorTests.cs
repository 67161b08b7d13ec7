using System;
using System.Collections.Generic;
using System.IO;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Tests.Inventory;

namespace SecureNmc.Core.Tests.Settings
{
    public class DataFolderLocatorTests : IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();
        private readonly Dictionary<string, string?> _env = new Dictionary<string, string?>();

        public void Dispose() => _temp.Dispose();

        private DataFolderLocator Locator(HostPlatform platform, string home) =>
            new DataFolderLocator(name => _env.TryGetValue(name, out var v) ? v : null, platform, home);

        [Fact]
        public void A_data_folder_path_that_names_a_file_is_refused_with_the_setting_to_fix()
        {
            Directory.CreateDirectory(_temp.Path);
            var file = Path.Combine(_temp.Path, "not-a-folder");
            File.WriteAllText(file, "x");
            _env[DataFolder.EnvironmentVariableName] = file;
            var ex = Assert.Throws<StoreException>(() => Locator(HostPlatform.Linux, _temp.Path).Locate());
            Assert.Contains("is a file, not a folder", ex.Message);
            Assert.Contains(DataFolder.EnvironmentVariableName, ex.Message);
            Assert.Equal(file, ex.FilePath);
        }

        [Fact]
        public void PlatformDefaults()
        {
            var home = Path.Combine(_temp.Path, "home");
            Assert.Equal(Path.Combine(home, ".local", "share", "SecureNmc"), Locator(HostPlatform.Linux, home).Locate().Root);
            Assert.Equal(Path.Combine(home, "Library", "Application Support", "SecureNmc"), Locator(HostPlatform.MacOS, home).Locate().Root);
            _env["LOCALAPPDATA"] = Path.Combine(_temp.Path, "LocalAppData");
            Assert.Equal(Path.Combine(_temp.Path, "LocalAppData", "SecureNmc"), Locator(HostPlatform.Windows, home).Locate().Root);
            Assert.Equal(DataFolderSource.PlatformDefault, Locator(HostPlatform.Linux, home).Locate().Source);
        }

        [Fact]
        public void XdgDataHomeIsHonouredWhenAbsolute()
        {
            var home = Path.Combine(_temp.Path, "home");
            _env["XDG_DATA_HOME"] = Path.Combine(_temp.Path, "xdg");
            Assert.Equal(Path.Combine(_temp.Path, "xdg", "SecureNmc"), Locator(HostPlatform.Linux, home).Locate().Root);
            _env["XDG_DATA_HOME"] = "relative/xdg"; // invalid per the XDG spec: ignored
            Assert.Equal(Path.Combine(home, ".local", "share", "SecureNmc"), Locator(HostPlatform.Linux, home).Locate().Root);
        }

        [Fact]
        public void SettingRelocatesDataButSettingsStayInTheDefaultFolder()
        {
            var home = Path.Combine(_temp.Path, "home");
            var locator = Locator(HostPlatform.Linux, home);
            var defaults = locator.Locate();
            var moved = Path.Combine(_temp.Path, "elsewhere");
            new SettingsStore(defaults).Update(s => s.DataFolder = moved);

            var folder = locator.Locate();
            Assert.Equal(DataFolderSource.Setting, folder.Source);
            Assert.Equal(moved, folder.Root);
            Assert.Equal(Path.Combine(moved, "inventory.json"), folder.InventoryFile);
            Assert.Equal(defaults.SettingsFile, folder.SettingsFile);
        }

        [Fact]
        public void EnvironmentVariableWinsOverSettingAndHoldsItsOwnSettings()
        {
            var home = Path.Combine(_temp.Path, "home");
            var locator = Locator(HostPlatform.Linux, home);
            new SettingsStore(locator.Locate()).Update(s => s.DataFolder = Path.Combine(_temp.Path, "elsewhere"));
            _env["SECURENMC_HOME"] = Path.Combine(_temp.Path, "worker");

            var folder = locator.Locate();
            Assert.Equal(DataFolderSource.EnvironmentVariable, folder.Source);
            Assert.Equal(Path.Combine(_temp.Path, "worker"), folder.Root);
            Assert.Equal(Path.Combine(_temp.Path, "worker", "settings.json"), folder.SettingsFile);
        }

        [Fact]
        public void TildeIsExpandedAndPathsAreNamed()
        {
            var home = Path.Combine(_temp.Path, "home");
            _env["SECURENMC_HOME"] = "~/nmc-data";
            var folder = Locator(HostPlatform.Linux, home).Locate();
            Assert.Equal(Path.Combine(home, "nmc-data"), folder.Root);
            Assert.Equal(Path.Combine(folder.Root, "Backup"), folder.BackupFolder);
            Assert.Equal(Path.Combine(folder.Root, "Firmware"), folder.FirmwareCacheFolder);
            Assert.Equal(Path.Combine(folder.Root, "Journal"), folder.JournalFolder);
            Assert.Equal(Path.Combine(folder.Root, "Licenses"), folder.LicensesFolder);
            Assert.Equal(Path.Combine(folder.Root, "known_hosts"), folder.KnownHostsFile);
        }
    }
}
