using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SecureNmc.Core.Settings
{
    public enum SettingKind { Integer, Boolean, Text }

    /// <summary>
    /// One setting: its stored name, type, default, allowed range and meaning. Adding a setting in a
    /// later version is one new entry here plus a typed property on <see cref="NmcSettings"/>; files
    /// written before simply lack the entry and get the default.
    /// </summary>
    public sealed class SettingDefinition
    {
        private SettingDefinition(string name, SettingKind kind, object? defaultValue, string description, long min = 0, long max = 0, Func<string, string?>? validateText = null)
        {
            Name = name;
            Kind = kind;
            DefaultValue = defaultValue;
            Description = description;
            Minimum = min;
            Maximum = max;
            _validateText = validateText;
        }

        private readonly Func<string, string?>? _validateText;

        public string Name { get; }
        public SettingKind Kind { get; }
        public object? DefaultValue { get; }
        public string Description { get; }
        public long Minimum { get; }
        public long Maximum { get; }

        public const string LicensingEndpoint = "LicensingEndpoint";
        public const string LicensingServiceKey = "LicensingServiceKey";

        public const string ConcurrentRequests = "ConcurrentRequests";
        public const string MaxFirmwareUpdateAttempts = "MaxFirmwareUpdateAttempts";
        public const string BackupBeforeUpdate = "BackupBeforeUpdate";
        public const string RestartTimeoutSeconds = "RestartTimeoutSeconds";
        public const string RestartPollSeconds = "RestartPollSeconds";
        public const string DataFolder = "DataFolder";
        public const string FirmwareCatalogUrl = "FirmwareCatalogUrl";
        public const string ConnectTimeoutSeconds = "ConnectTimeoutSeconds";
        public const string ReplyTimeoutSeconds = "ReplyTimeoutSeconds";
        public const string UploadStallTimeoutSeconds = "UploadStallTimeoutSeconds";

        public static IReadOnlyList<SettingDefinition> All { get; } = new[]
        {
            new SettingDefinition(LicensingEndpoint, SettingKind.Text, null,
                "Base address of the Secure NMC licensing service (Connect-NmcAccount, Get-NmcSubscription, Enable-NmcSubscription), e.g. https://licensing.example.com/snmc/. https is required; plain http only for a loopback address (the licensing simulator).",
                validateText: LicensingSettingsValidation.ValidateEndpoint),
            new SettingDefinition(LicensingServiceKey, SettingKind.Text, null,
                "The licensing service's public key (base64 of the 65-byte uncompressed P-256 point). Only licences signed with it are stored or trusted; without it no card counts as licensed for updates.",
                validateText: LicensingSettingsValidation.ValidateServiceKey),
            new SettingDefinition(ConcurrentRequests, SettingKind.Integer, 10,
                "Number of concurrent requests to cards (queries, firmware updates). Each card still gets at most one session at a time.", 1, 100),
            new SettingDefinition(MaxFirmwareUpdateAttempts, SettingKind.Integer, 3,
                "Maximum number of times a firmware update is attempted on a card before it is reported as failed.", 1, 10),
            new SettingDefinition(RestartTimeoutSeconds, SettingKind.Integer, 600,
                "Seconds a card restarting after a firmware upload may stay unreachable before the attempt fails with a warning (field notes: up to 10 minutes; linked rack PDUs about 10).", 5, 7200),
            new SettingDefinition(RestartPollSeconds, SettingKind.Integer, 10,
                "Longest pause, in seconds, between two polls of a restarting card (polls start at 5 s, or this value if lower, and double up to it). A card that is back is noticed on average half this late.", 1, 120),
            new SettingDefinition(BackupBeforeUpdate, SettingKind.Boolean, true,
                "Back up the card's configuration and log files (config.ini, event.txt, data.txt) to the data folder's Backup folder before a firmware update."),
            new SettingDefinition(DataFolder, SettingKind.Text, null,
                "Moves the data folder (inventory, credential key, firmware cache, backups, journal). Empty = the platform default. SECURENMC_HOME takes precedence. Existing files are not moved.",
                validateText: ValidateFolder),
            new SettingDefinition(FirmwareCatalogUrl, SettingKind.Text, null,
                "Base address of a firmware catalog service (index.json and files/), e.g. the simulator's. Get-NmcFirmware -Refresh reads it; packages it lists are downloaded when an update needs them. Empty = imported files only.",
                validateText: ValidateCatalogUrl),
            new SettingDefinition(ConnectTimeoutSeconds, SettingKind.Integer, 30,
                "Seconds a card gets to accept the connection and finish the SSH handshake and login (FTP: connect and login). Raise it for slow or distant cards.", 1, 600),
            new SettingDefinition(ReplyTimeoutSeconds, SettingKind.Integer, 60,
                "Seconds a card may stay silent while a reply, command output or file data is awaited. Busy cards can take about 30 s to answer.", 1, 3600),
            new SettingDefinition(UploadStallTimeoutSeconds, SettingKind.Integer, 60,
                "Seconds an upload (firmware) may make no progress because the card stopped taking data before it is abandoned.", 1, 3600),
        };

        public static SettingDefinition? Find(string name) =>
            All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

        public static SettingDefinition Get(string name) =>
            Find(name) ?? throw new ArgumentException($"There is no setting named '{name}'. Settings: {string.Join(", ", All.Select(d => d.Name))}.", nameof(name));

        /// <summary>Null when <paramref name="value"/> is acceptable (already converted to the setting's type); otherwise why not.</summary>
        public string? Validate(object? value)
        {
            switch (Kind)
            {
                case SettingKind.Integer:
                    if (!(value is long n)) return $"The setting {Name} must be a whole number from {Minimum} to {Maximum}.";
                    if (n < Minimum || n > Maximum) return $"The setting {Name} must be from {Minimum} to {Maximum}; {n.ToString(CultureInfo.InvariantCulture)} is out of range.";
                    return null;
                case SettingKind.Boolean:
                    return value is bool ? null : $"The setting {Name} must be true or false.";
                default:
                    if (value == null) return null;
                    if (!(value is string s)) return $"The setting {Name} must be text.";
                    return _validateText?.Invoke(s);
            }
        }

        private static string? ValidateCatalogUrl(string url)
        {
            if (url.Trim().Length == 0) return null;
            if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                return $"The setting FirmwareCatalogUrl must be an absolute http:// or https:// address; '{url}' is not.";
            return null;
        }

        private static string? ValidateFolder(string path)
        {
            if (path.Trim().Length == 0) return null;
            if (path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0 || path.IndexOf('\0') >= 0)
                return $"The setting DataFolder ('{path}') contains characters that are not allowed in a path.";
            var expanded = path.Trim();
            if (!(expanded.StartsWith("~", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(expanded)))
                return $"The setting DataFolder must be an absolute path (or start with ~); '{path}' is relative.";
            return null;
        }
    }
}
