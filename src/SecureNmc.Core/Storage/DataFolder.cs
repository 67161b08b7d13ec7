using System;
using System.IO;

namespace SecureNmc.Core.Storage
{
    /// <summary>Where the data folder location came from (highest precedence first).</summary>
    public enum DataFolderSource
    {
        /// <summary>The SECURENMC_HOME environment variable (runbooks on throwaway workers).</summary>
        EnvironmentVariable,
        /// <summary>The DataFolder setting (Set-NmcSetting -DataFolder).</summary>
        Setting,
        /// <summary>The per-user default of the operating system.</summary>
        PlatformDefault,
    }

    /// <summary>
    /// The one place that names every file and folder SecureNmc keeps for the current user.
    /// Obtain one with <see cref="DataFolderLocator.Resolve"/> (or <see cref="ForRoot"/> in tests).
    /// </summary>
    public sealed class DataFolder
    {
        public const string EnvironmentVariableName = "SECURENMC_HOME";

        public DataFolder(string root, string settingsFile, DataFolderSource source)
        {
            if (string.IsNullOrWhiteSpace(root)) throw new ArgumentException("The data folder path is empty.", nameof(root));
            Root = Path.GetFullPath(root);
            SettingsFile = Path.GetFullPath(settingsFile);
            Source = source;
        }

        /// <summary>A self-contained data folder (settings inside it), as SECURENMC_HOME gives.</summary>
        public static DataFolder ForRoot(string root) =>
            new DataFolder(root, Path.Combine(Path.GetFullPath(root), SettingsFileName), DataFolderSource.EnvironmentVariable);

        internal const string SettingsFileName = "settings.json";

        /// <summary>The folder itself (created owner-only on first write).</summary>
        public string Root { get; }

        /// <summary>
        /// settings.json. Inside <see cref="Root"/> when SECURENMC_HOME is set; otherwise always in the
        /// platform default folder, because it is what holds the DataFolder setting that moves the rest.
        /// </summary>
        public string SettingsFile { get; }

        public DataFolderSource Source { get; }

        /// <summary>The device list (JSON, see docs/inventory.md).</summary>
        public string InventoryFile => Path.Combine(Root, "inventory.json");

        /// <summary>Lock file serialising writers of the inventory across processes.</summary>
        public string InventoryLockFile => Path.Combine(Root, "inventory.lock");

        /// <summary>Lock file serialising writers of the settings.</summary>
        public string SettingsLockFile => SettingsFile + ".lock";

        /// <summary>The 256-bit key protecting credentials on Linux/macOS (mode 0600). Unused on Windows (DPAPI).</summary>
        public string CredentialKeyFile => Path.Combine(Root, "credential.key");

        /// <summary>Lock taken while the credential key is created, so two sessions never make two keys.</summary>
        public string CredentialKeyLockFile => Path.Combine(Root, "credential.key.lock");

        /// <summary>SSH host keys of the cards, trusted on first use or pinned.</summary>
        public string KnownHostsFile => Path.Combine(Root, "known_hosts");

        /// <summary>Downloaded firmware packages.</summary>
        public string FirmwareCacheFolder => Path.Combine(Root, "Firmware");

        /// <summary>Configuration and logs fetched from cards before an update (BackupBeforeUpdate).</summary>
        public string BackupFolder => Path.Combine(Root, "Backup");

        /// <summary>The update journal: what was done to which card, to resume after a crash.</summary>
        public string JournalFolder => Path.Combine(Root, "Journal");

        /// <summary>Licence and subscription data.</summary>
        public string LicensesFolder => Path.Combine(Root, "Licenses");

        /// <summary>Backups of one device, keyed by its stable id.</summary>
        public string DeviceBackupFolder(Guid deviceId) => Path.Combine(BackupFolder, deviceId.ToString("D"));

        /// <summary>Creates the root (owner-only on Unix) if it does not exist.</summary>
        public void EnsureExists() => PhysicalFileOperations.Instance.CreateDirectory(Root);

        public override string ToString() => Root;
    }
}
