using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Core.Devices
{
    /// <summary>
    /// A device as a user gives it, before validation: text from a CSV row, pipeline properties
    /// (Import-Csv | Add-NmcDevice) or cmdlet parameters. <see cref="DeviceInputNormalizer"/> turns
    /// it into an <see cref="NmcDevice"/> or specific errors.
    /// </summary>
    public sealed class DeviceInput
    {
        public string? Host { get; set; }
        public string? Name { get; set; }

        /// <summary>"SCP" or "FTP" (any case); empty = SCP.</summary>
        public string? Protocol { get; set; }

        /// <summary>Digits; empty = the protocol's default (22 for SCP, 21 for FTP).</summary>
        public string? Port { get; set; }

        /// <summary>The card's site (<see cref="NmcDevice.Site"/>); empty = none.</summary>
        public string? Site { get; set; }

        public string? UserName { get; set; }

        /// <summary>Plaintext only for as long as it takes to protect it; never logged or shown.</summary>
        public string? Password { get; set; }

        /// <summary>Where this came from, for messages: "line 12", "pipeline object 3".</summary>
        public string? Source { get; set; }

        /// <summary>Never includes the password.</summary>
        public override string ToString() => $"{Host}{(string.IsNullOrEmpty(Port) ? "" : ":" + Port)}";

        /// <summary>The header names (any case, spaces/underscores/hyphens ignored) people use for each field.</summary>
        public static IReadOnlyDictionary<string, IReadOnlyList<string>> FieldAliases { get; } = new Dictionary<string, IReadOnlyList<string>>
        {
            [nameof(Host)] = new[] { "Host", "HostName", "IPAddress", "IP", "Address", "IPv4", "IPv4Address", "FQDN", "ComputerName", "DeviceAddress", "NMCAddress" },
            [nameof(Name)] = new[] { "Name", "DisplayName", "DeviceName", "Label", "Description" },
            [nameof(Protocol)] = new[] { "Protocol", "TransferProtocol" },
            [nameof(Port)] = new[] { "Port", "PortNumber" },
            [nameof(Site)] = new[] { "Site", "SiteName", "SiteCode" },
            [nameof(UserName)] = new[] { "UserName", "User", "Login", "Account", "LoginName" },
            [nameof(Password)] = new[] { "Password", "Pass", "Pwd", "Secret" },
        };

        /// <summary>The field a header names, or null when it is none of the aliases.</summary>
        public static string? FieldForHeader(string? header)
        {
            var key = NormalizeHeader(header);
            if (key.Length == 0) return null;
            foreach (var pair in FieldAliases)
            {
                if (pair.Value.Any(alias => NormalizeHeader(alias) == key)) return pair.Key;
            }
            return null;
        }

        /// <summary>
        /// Builds an input from property name/value pairs (a PSObject's properties, a dictionary),
        /// recognising the aliases in <see cref="FieldAliases"/>. The first property naming a field wins.
        /// </summary>
        public static DeviceInput FromProperties(IEnumerable<KeyValuePair<string, object?>> properties, string? source = null)
        {
            var input = new DeviceInput { Source = source };
            foreach (var pair in properties)
            {
                var field = FieldForHeader(pair.Key);
                if (field == null) continue;
                var text = pair.Value?.ToString();
                input.SetFieldIfEmpty(field, text);
            }
            return input;
        }

        internal void SetFieldIfEmpty(string field, string? value)
        {
            switch (field)
            {
                case nameof(Host): if (Host == null) Host = value; break;
                case nameof(Name): if (Name == null) Name = value; break;
                case nameof(Protocol): if (Protocol == null) Protocol = value; break;
                case nameof(Port): if (Port == null) Port = value; break;
                case nameof(Site): if (Site == null) Site = value; break;
                case nameof(UserName): if (UserName == null) UserName = value; break;
                case nameof(Password): if (Password == null) Password = value; break;
                default: throw new ArgumentOutOfRangeException(nameof(field), field, "Not a device input field.");
            }
        }

        private static string NormalizeHeader(string? header)
        {
            if (header == null) return "";
            var chars = header.Where(c => !char.IsWhiteSpace(c) && c != '_' && c != '-' && c != '\uFEFF').ToArray();
            return new string(chars).ToUpperInvariant();
        }
    }
}
