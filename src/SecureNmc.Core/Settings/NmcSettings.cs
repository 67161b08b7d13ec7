using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SecureNmc.Core.Json;

namespace SecureNmc.Core.Settings
{
    /// <summary>One setting as Get-NmcSetting shows it.</summary>
    public sealed class SettingInfo
    {
        internal SettingInfo(SettingDefinition definition, object? value, bool isDefault)
        {
            Name = definition.Name;
            Value = value;
            DefaultValue = definition.DefaultValue;
            IsDefault = isDefault;
            Description = definition.Description;
        }

        public string Name { get; }
        public object? Value { get; }
        public object? DefaultValue { get; }

        /// <summary>True when the value is the default because it was never set (not when set to the default).</summary>
        public bool IsDefault { get; }

        public string Description { get; }
    }

    /// <summary>
    /// The user's settings. Values never set read as their defaults; setting a value validates it
    /// (<see cref="SettingValidationException"/>). Entries this version does not know (written by a
    /// newer version) are kept and written back untouched.
    /// </summary>
    public sealed class NmcSettings
    {
        private readonly Dictionary<string, object?> _values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Base address of the licensing service; null = not configured.</summary>
        public string? LicensingEndpoint
        {
            get => Get(SettingDefinition.LicensingEndpoint) as string;
            set => Set(SettingDefinition.LicensingEndpoint, value);
        }

        /// <summary>The trusted licensing service public key (base64 of the uncompressed P-256 point); null = not configured.</summary>
        public string? LicensingServiceKey
        {
            get => Get(SettingDefinition.LicensingServiceKey) as string;
            set => Set(SettingDefinition.LicensingServiceKey, value);
        }

        public int ConcurrentRequests
        {
            get => (int)GetInt64(SettingDefinition.ConcurrentRequests);
            set => Set(SettingDefinition.ConcurrentRequests, (long)value);
        }

        public int MaxFirmwareUpdateAttempts
        {
            get => (int)GetInt64(SettingDefinition.MaxFirmwareUpdateAttempts);
            set => Set(SettingDefinition.MaxFirmwareUpdateAttempts, (long)value);
        }

        /// <summary>How long a restarting card may stay unreachable (the engine's RestartReturnTimeout).</summary>
        public int RestartTimeoutSeconds
        {
            get => (int)GetInt64(SettingDefinition.RestartTimeoutSeconds);
            set => Set(SettingDefinition.RestartTimeoutSeconds, (long)value);
        }

        /// <summary>The longest pause between polls of a restarting card (the engine's RestartPollMax).</summary>
        public int RestartPollSeconds
        {
            get => (int)GetInt64(SettingDefinition.RestartPollSeconds);
            set => Set(SettingDefinition.RestartPollSeconds, (long)value);
        }

        public bool BackupBeforeUpdate
        {
            get => (bool)Get(SettingDefinition.BackupBeforeUpdate)!;
            set => Set(SettingDefinition.BackupBeforeUpdate, value);
        }

        /// <summary>Where the data lives when SECURENMC_HOME is not set; null = platform default.</summary>
        public string? DataFolder
        {
            get => Get(SettingDefinition.DataFolder) as string;
            set => Set(SettingDefinition.DataFolder, string.IsNullOrWhiteSpace(value) ? null : value!.Trim());
        }

        /// <summary>The firmware catalog service's base address; null = imported files only.</summary>
        public string? FirmwareCatalogUrl
        {
            get => Get(SettingDefinition.FirmwareCatalogUrl) as string;
            set => Set(SettingDefinition.FirmwareCatalogUrl, string.IsNullOrWhiteSpace(value) ? null : value!.Trim());
        }

        /// <summary>TCP connect, handshake and login limit for one card.</summary>
        public TimeSpan ConnectTimeout
        {
            get => TimeSpan.FromSeconds(GetInt64(SettingDefinition.ConnectTimeoutSeconds));
            set => Set(SettingDefinition.ConnectTimeoutSeconds, (long)value.TotalSeconds);
        }

        /// <summary>Longest silence while a reply or data is awaited.</summary>
        public TimeSpan ReplyTimeout
        {
            get => TimeSpan.FromSeconds(GetInt64(SettingDefinition.ReplyTimeoutSeconds));
            set => Set(SettingDefinition.ReplyTimeoutSeconds, (long)value.TotalSeconds);
        }

        /// <summary>Longest time an upload may make no progress.</summary>
        public TimeSpan UploadStallTimeout
        {
            get => TimeSpan.FromSeconds(GetInt64(SettingDefinition.UploadStallTimeoutSeconds));
            set => Set(SettingDefinition.UploadStallTimeoutSeconds, (long)value.TotalSeconds);
        }

        /// <summary>The value of a setting by name (any case): what it was set to, or its default.</summary>
        public object? Get(string name)
        {
            var definition = SettingDefinition.Get(name);
            var value = _values.TryGetValue(definition.Name, out var v) ? v : definition.DefaultValue;
            // Stored as long (JSON numbers); shown as int, the type the typed properties have.
            return definition.Kind == SettingKind.Integer && value != null ? System.Convert.ToInt32(value, CultureInfo.InvariantCulture) : value;
        }

        /// <summary>Sets a setting by name, converting text ("5", "true") to the setting's type.</summary>
        public void Set(string name, object? value)
        {
            var definition = SettingDefinition.Get(name);
            var converted = Convert(definition, value);
            var error = definition.Validate(converted);
            if (error != null) throw new SettingValidationException(definition.Name, error);
            if (converted == null) _values.Remove(definition.Name);
            else _values[definition.Name] = converted;
        }

        /// <summary>Forgets a setting so it reads as its default again.</summary>
        public void Reset(string name) => _values.Remove(SettingDefinition.Get(name).Name);

        public bool IsSet(string name) => _values.ContainsKey(SettingDefinition.Get(name).Name);

        public IReadOnlyList<SettingInfo> Describe() =>
            SettingDefinition.All.Select(d => new SettingInfo(d, Get(d.Name), !_values.ContainsKey(d.Name))).ToList();

        public NmcSettings Clone()
        {
            var copy = new NmcSettings();
            foreach (var pair in _values) copy._values[pair.Key] = pair.Value;
            foreach (var pair in UnknownEntries) copy.UnknownEntries[pair.Key] = pair.Value;
            return copy;
        }

        /// <summary>Entries of the file this version does not know, kept verbatim (raw parsed JSON values).</summary>
        internal Dictionary<string, JsonValue?> UnknownEntries { get; } = new Dictionary<string, JsonValue?>(StringComparer.Ordinal);

        internal IEnumerable<KeyValuePair<string, object?>> ExplicitValues => _values;

        internal void SetStored(SettingDefinition definition, object? value) => _values[definition.Name] = value;

        private long GetInt64(string name) => System.Convert.ToInt64(Get(name), CultureInfo.InvariantCulture);

        private static object? Convert(SettingDefinition definition, object? value)
        {
            if (value == null) return null;
            switch (definition.Kind)
            {
                case SettingKind.Integer:
                    switch (value)
                    {
                        case int i: return (long)i;
                        case long l: return l;
                        case short s: return (long)s;
                        case byte b: return (long)b;
                        case string text when long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed): return parsed;
                        default: throw new SettingValidationException(definition.Name, $"The setting {definition.Name} must be a whole number from {definition.Minimum} to {definition.Maximum}; '{value}' is not.");
                    }
                case SettingKind.Boolean:
                    if (value is bool flag) return flag;
                    if (value is string t && bool.TryParse(t.Trim(), out var parsedFlag)) return parsedFlag;
                    throw new SettingValidationException(definition.Name, $"The setting {definition.Name} must be true or false; '{value}' is not.");
                default:
                    var textValue = value as string ?? System.Convert.ToString(value, CultureInfo.InvariantCulture);
                    return string.IsNullOrWhiteSpace(textValue) ? null : textValue!.Trim();
            }
        }
    }
}
