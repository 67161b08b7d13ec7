using System;
using System.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Security;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>
    /// The three stores an export reads and an import changes, all in one data folder: the device
    /// inventory (with this machine's credential protector), the verified licence store and the
    /// firmware cache. The licence store needs the trusted licensing service key; without one,
    /// licences can be neither exported nor imported (they could not be verified).
    /// </summary>
    public sealed class DataExchangeStores
    {
        public DataExchangeStores(DataFolder dataFolder, DeviceInventory inventory, ICredentialProtector protector, TrustedServiceKey? licensingKey, ILogger? logger = null)
        {
            DataFolder = dataFolder ?? throw new ArgumentNullException(nameof(dataFolder));
            Inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
            Protector = protector ?? throw new ArgumentNullException(nameof(protector));
            LicensingKey = licensingKey;
            Logger = logger ?? NullLogger.Instance;
            Firmware = new FirmwareLibrary(dataFolder.FirmwareCacheFolder, null, Logger);
            LicenceStorePath = new LicensingDataFolder(dataFolder).LicenceStorePath;
            Licences = licensingKey == null ? null : new LicenceStore(LicenceStorePath, licensingKey);
        }

        /// <summary>The stores of one data folder with its own protector (DPAPI on Windows, key file elsewhere).</summary>
        public static DataExchangeStores ForDataFolder(DataFolder dataFolder, TrustedServiceKey? licensingKey, ILogger? logger = null) =>
            new DataExchangeStores(dataFolder, new DeviceInventory(dataFolder, logger), CredentialProtectorFactory.ForCurrentUser(dataFolder, logger), licensingKey, logger);

        public DataFolder DataFolder { get; }
        public DeviceInventory Inventory { get; }
        public ICredentialProtector Protector { get; }
        public TrustedServiceKey? LicensingKey { get; }
        public FirmwareLibrary Firmware { get; }
        public LicenceStore? Licences { get; }
        public string LicenceStorePath { get; }
        public ILogger Logger { get; }

        /// <summary>Where an import stages the verified parts (inside the data folder, removed afterwards).</summary>
        internal string StagingRoot => Path.Combine(DataFolder.Root, "ImportStaging");

        internal LicenceStore RequireLicences(string action) => Licences ?? throw new DataExchangeException(DataExchangeError.NoTrustedLicensingKey,
            $"Licences cannot be {action}: no trusted licensing service key is configured, so they could not be verified. Set the LicensingServiceKey setting (Set-NmcSetting), or leave Licences out.");
    }
}
