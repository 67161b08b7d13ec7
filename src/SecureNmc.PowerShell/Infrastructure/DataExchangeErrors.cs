using System.Management.Automation;
using SecureNmc.Core.Bundles;
using SecureNmc.Core.DataExchange;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>Error ids, categories and advice for refused exports and imports.</summary>
    internal static class DataExchangeErrors
    {
        public static (string Id, ErrorCategory Category, string? Advice) Describe(BundleException e) => e.Error switch
        {
            BundleError.PasswordRequired => ("BundlePasswordRequired", ErrorCategory.AuthenticationError, "Pass the password the bundle was exported with: -Password (Read-Host -AsSecureString)."),
            BundleError.WrongPassword => ("BundleWrongPassword", ErrorCategory.AuthenticationError, "Check the password used with Export-NmcBundle; nothing was imported."),
            BundleError.Truncated => ("BundleTruncated", ErrorCategory.InvalidData, "Copy the bundle again (the copy is incomplete) or export it again."),
            BundleError.Tampered => ("BundleTampered", ErrorCategory.SecurityError, "Do not use this file: it was changed after export. Export it again from the source machine."),
            BundleError.UnsafeName => ("BundleUnsafeName", ErrorCategory.SecurityError, "Do not use this file: it was not made by Export-NmcBundle."),
            BundleError.DuplicateEntry => ("BundleDuplicateEntry", ErrorCategory.SecurityError, "Do not use this file: it was not made by Export-NmcBundle or was altered."),
            BundleError.TooLarge => ("BundleTooLarge", ErrorCategory.LimitsExceeded, "Do not use this file: it declares more than a bundle may hold."),
            BundleError.NotABundle => ("NotABundle", ErrorCategory.InvalidData, "Pick the file written by Export-NmcBundle -Format Bundle."),
            BundleError.UnsupportedVersion => ("BundleVersionUnsupported", ErrorCategory.NotImplemented, "Update the SecureNmc module on this machine."),
            _ => ("BundleMalformed", ErrorCategory.InvalidData, "Export the bundle again with Export-NmcBundle."),
        };

        public static (string Id, ErrorCategory Category) Describe(DataExchangeException e) => e.Error switch
        {
            DataExchangeError.PasswordRequired => ("BundlePasswordRequired", ErrorCategory.InvalidArgument),
            DataExchangeError.FileExists => ("ExportFileExists", ErrorCategory.ResourceExists),
            DataExchangeError.FolderMissing => ("ExportFolderMissing", ErrorCategory.ObjectNotFound),
            DataExchangeError.CredentialUnreadable => ("CredentialProtectionFailed", ErrorCategory.SecurityError),
            DataExchangeError.NoTrustedLicensingKey => ("NoTrustedLicensingKey", ErrorCategory.NotSpecified),
            DataExchangeError.LicenceRejected => ("BundleLicenceRejected", ErrorCategory.SecurityError),
            DataExchangeError.FirmwareRejected => ("BundleFirmwareRejected", ErrorCategory.SecurityError),
            DataExchangeError.ApplyFailed => ("BundleImportFailed", ErrorCategory.WriteError),
            DataExchangeError.UnencryptedContent => ("BundleNotEncrypted", ErrorCategory.SecurityError),
            DataExchangeError.DeviceInFlight => ("DeviceInFlight", ErrorCategory.ResourceBusy),
            DataExchangeError.InvalidHandOver => ("InvalidHandOver", ErrorCategory.InvalidArgument),
            _ => ("BundleContentInvalid", ErrorCategory.InvalidData),
        };
    }
}
