using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Settings;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Changes settings: concurrency, update attempts, backup before update, data folder.</summary>
    [Cmdlet(VerbsCommon.Set, "NmcSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SettingInfo))]
    public sealed class SetNmcSettingCommand : NmcCmdlet
    {
        /// <summary>Base address of the licensing service (https; http only on loopback).</summary>
        [Parameter]
        public string? LicensingEndpoint { get; set; }

        /// <summary>The licensing service's public key (base64 of the uncompressed P-256 point); public, not a secret.</summary>
        [Parameter]
        public string? LicensingServiceKey { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? ConcurrentRequests { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? MaxFirmwareUpdateAttempts { get; set; }

        /// <summary>Seconds a restarting card may stay unreachable before the attempt fails.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? RestartTimeoutSeconds { get; set; }

        /// <summary>Longest pause in seconds between two polls of a restarting card.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? RestartPollSeconds { get; set; }

        [Parameter]
        public bool? BackupBeforeUpdate { get; set; }

        /// <summary>A folder path, from the current PowerShell location; a leading ~ is kept so it follows the user's home.</summary>
        [Parameter]
        public string? DataFolder { get; set; }

        [Parameter]
        public string? FirmwareCatalogUrl { get; set; }

        /// <summary>Seconds a card gets to accept the connection and finish the handshake and login.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? ConnectTimeoutSeconds { get; set; }

        /// <summary>Seconds a card may stay silent while a reply or data is awaited.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? ReplyTimeoutSeconds { get; set; }

        /// <summary>Seconds an upload may make no progress before it is abandoned.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? UploadStallTimeoutSeconds { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(SettingNameCompleter))]
        public string[]? Reset { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var changes = new List<(string Name, object? Value)>();
            if (LicensingEndpoint != null) changes.Add((SettingDefinition.LicensingEndpoint, LicensingEndpoint));
            if (LicensingServiceKey != null) changes.Add((SettingDefinition.LicensingServiceKey, LicensingServiceKey));
            if (ConcurrentRequests != null) changes.Add((SettingDefinition.ConcurrentRequests, ConcurrentRequests.Value));
            if (MaxFirmwareUpdateAttempts != null) changes.Add((SettingDefinition.MaxFirmwareUpdateAttempts, MaxFirmwareUpdateAttempts.Value));
            if (RestartTimeoutSeconds != null) changes.Add((SettingDefinition.RestartTimeoutSeconds, RestartTimeoutSeconds.Value));
            if (RestartPollSeconds != null) changes.Add((SettingDefinition.RestartPollSeconds, RestartPollSeconds.Value));
            if (BackupBeforeUpdate != null) changes.Add((SettingDefinition.BackupBeforeUpdate, BackupBeforeUpdate.Value));
            if (DataFolder != null) changes.Add((SettingDefinition.DataFolder, ResolveDataFolder(DataFolder)));
            if (FirmwareCatalogUrl != null) changes.Add((SettingDefinition.FirmwareCatalogUrl, FirmwareCatalogUrl));
            if (ConnectTimeoutSeconds != null) changes.Add((SettingDefinition.ConnectTimeoutSeconds, ConnectTimeoutSeconds.Value));
            if (ReplyTimeoutSeconds != null) changes.Add((SettingDefinition.ReplyTimeoutSeconds, ReplyTimeoutSeconds.Value));
            if (UploadStallTimeoutSeconds != null) changes.Add((SettingDefinition.UploadStallTimeoutSeconds, UploadStallTimeoutSeconds.Value));
            var resets = (Reset ?? new string[0]).ToList();

            foreach (var name in resets.Where(n => SettingDefinition.Find(n) == null))
                ThrowCommandError("UnknownSetting", ErrorCategory.InvalidArgument, name,
                    $"There is no setting named '{name}'. Settings: {string.Join(", ", SettingDefinition.All.Select(d => d.Name))}.");
            if (changes.Count == 0 && resets.Count == 0)
                ThrowCommandError("NothingToSet", ErrorCategory.InvalidArgument, null,
                    "Give at least one setting to change (-ConcurrentRequests, -MaxFirmwareUpdateAttempts, -RestartTimeoutSeconds, -RestartPollSeconds, -BackupBeforeUpdate, -DataFolder, -FirmwareCatalogUrl, -ConnectTimeoutSeconds, -ReplyTimeoutSeconds, -UploadStallTimeoutSeconds) or -Reset.");

            var what = string.Join(", ", changes.Select(c => $"{c.Name} = {c.Value}").Concat(resets.Select(r => $"{r} = default")));
            var store = Services.Settings;
            if (ShouldProcess(store.FilePath, "Set " + what))
            {
                try
                {
                    var updated = UsingStore(() => store.Update(s =>
                    {
                        foreach (var (name, value) in changes) s.Set(name, value);
                        foreach (var name in resets) s.Reset(name);
                    }));
                    if (DataFolder != null || resets.Any(r => string.Equals(r, SettingDefinition.DataFolder, System.StringComparison.OrdinalIgnoreCase)))
                        WriteWarning($"The data folder setting takes effect for the next command. Existing devices, credentials and firmware in {Services.DataFolder.Root} are not moved; copy the folder's contents if you want to keep them."
                            + (Services.DataFolder.Source == Core.Storage.DataFolderSource.EnvironmentVariable ? $" While {Core.Storage.DataFolder.EnvironmentVariableName} is set, it takes precedence over this setting." : ""));
                    if (PassThru) WriteObject(updated.Describe(), enumerateCollection: true);
                }
                catch (SettingValidationException ex)
                {
                    ThrowCommandError("InvalidSetting", ErrorCategory.InvalidArgument, ex.SettingName, ex.Message);
                }
            }
            base.EndProcessing();
        }

        /// <summary>
        /// A relative folder means the current PowerShell location, as for any path a user types; it
        /// is stored absolute because the setting is read by later sessions started elsewhere.
        /// Empty (back to the default) and ~ (the home folder when the setting is read) stay as given.
        /// </summary>
        private string ResolveDataFolder(string folder)
        {
            var trimmed = folder.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("~", System.StringComparison.Ordinal)) return folder;
            return FilePaths.ResolveTarget(trimmed, literal: true, "data folder", ThrowTerminatingError)!;
        }
    }
}
