using System;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>What a bundle carries (Export-NmcBundle -Include).</summary>
    [Flags]
    public enum BundleContent
    {
        None = 0,
        Devices = 1,
        Licences = 2,
        Firmware = 4,
        All = Devices | Licences | Firmware,
    }

    /// <summary>What an import does with a device whose host and port are already in the inventory.</summary>
    public enum ImportConflict
    {
        /// <summary>Keep the inventory's device; report the bundle's as skipped.</summary>
        Skip,
        /// <summary>Replace the inventory's record with the bundle's (keeping its id and, if the bundle has none, its credential).</summary>
        Overwrite,
    }

    public enum ExportFormat
    {
        /// <summary>The minimal device data for licensing and firmware download; never credentials.</summary>
        Csv,
        /// <summary>The SecureNmc bundle: devices with credentials, licences, firmware.</summary>
        Bundle,
    }

    /// <summary>Why an export or import was refused before anything was written or changed.</summary>
    public enum DataExchangeError
    {
        PasswordRequired,
        FileExists,
        FolderMissing,
        CredentialUnreadable,
        NoTrustedLicensingKey,
        LicenceRejected,
        FirmwareRejected,
        InvalidContent,
        ApplyFailed,
        /// <summary>Firmware or licences in a bundle without a password, not allowed explicitly.</summary>
        UnencryptedContent,
        /// <summary>A hand-over (-HandOverTo) of a card already in flight at a worker.</summary>
        DeviceInFlight,
        /// <summary>A hand-over that cannot be one: no worker name, no devices, a CSV.</summary>
        InvalidHandOver,
    }

    public sealed class DataExchangeException : Exception
    {
        public DataExchangeException(DataExchangeError error, string message, Exception? inner = null) : base(message, inner) => Error = error;

        public DataExchangeError Error { get; }
    }
}
