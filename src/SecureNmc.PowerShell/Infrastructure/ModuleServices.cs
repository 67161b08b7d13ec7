using System;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Security;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Wires Core's services for one command: the data folder (SECURENMC_HOME, the DataFolder
    /// setting, or the platform default), the inventory, the settings and the credential
    /// protector, each logging into the command's pipeline log. Created on first use, so a
    /// command that needs none of them touches no file.
    /// </summary>
    internal sealed class ModuleServices
    {
        private readonly ILoggerFactory _loggers;
        private readonly Lazy<DataFolder> _dataFolder;
        private readonly Lazy<DeviceInventory> _inventory;
        private readonly Lazy<SettingsStore> _settings;
        private readonly Lazy<ICredentialProtector> _protector;

        public ModuleServices(ILoggerFactory loggers)
        {
            _loggers = loggers;
            _dataFolder = new Lazy<DataFolder>(LocateDataFolder);
            _inventory = new Lazy<DeviceInventory>(() => new DeviceInventory(DataFolder, _loggers.CreateLogger("SecureNmc.Inventory")));
            _settings = new Lazy<SettingsStore>(() => new SettingsStore(DataFolder, _loggers.CreateLogger("SecureNmc.Settings")));
            _protector = new Lazy<ICredentialProtector>(() => CredentialProtectorFactory.ForCurrentUser(DataFolder, _loggers.CreateLogger("SecureNmc.Credentials")));
        }

        public DataFolder DataFolder => _dataFolder.Value;

        /// <summary>A bad SECURENMC_HOME or DataFolder setting is a store problem: nothing can proceed.</summary>
        private static DataFolder LocateDataFolder()
        {
            DataFolder folder;
            try { folder = DataFolderLocator.Resolve(); }
            catch (ArgumentException ex) { throw new StoreException(ex.Message, "", ex); }
            // A folder made beforehand (mkdir, a runbook's working folder) is typically 0755: make it
            // owner-only before anything secret is written into it.
            UnixFilePermissions.TightenFolder(folder.Root);
            return folder;
        }
        public DeviceInventory Inventory => _inventory.Value;
        public SettingsStore Settings => _settings.Value;
        public ICredentialProtector CredentialProtector => _protector.Value;

        public DeviceInputNormalizer CreateNormalizer() => new DeviceInputNormalizer(CredentialProtector);
    }
}
