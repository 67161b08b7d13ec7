using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security;
using SecureNmc.Core.Security;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Devices
{
    /// <summary>
    /// The SNS Tool's "Edit" of a device: new name, protocol, port or credential. Only what is set
    /// changes. Validate first (every reason at once), then apply inside an inventory update.
    /// </summary>
    public sealed class DeviceEdit
    {
        /// <summary>Same limit as names given when a device is added.</summary>
        public const int MaxNameLength = 256;

        public string? NewName { get; set; }

        /// <summary>"SCP" or "FTP", any case; null = unchanged.</summary>
        public string? Protocol { get; set; }

        public int? Port { get; set; }

        /// <summary>The new site; an empty text clears it; null = unchanged.</summary>
        public string? Site { get; set; }

        /// <summary>With <see cref="Password"/>: the new stored credential.</summary>
        public string? UserName { get; set; }

        public SecureString? Password { get; set; }

        /// <summary>Forget the stored credential; later commands then need -Credential.</summary>
        public bool ClearCredential { get; set; }

        /// <summary>
        /// Whether this card may be reached with the NMC2-era SSH algorithms (SHA-1 key exchange,
        /// ssh-rsa, CBC ciphers): an explicit, per-device opt-in; null leaves it as it is.
        /// </summary>
        public bool? AllowLegacySsh { get; set; }

        public bool ChangesCredential => Password != null || UserName != null;

        public bool IsEmpty => NewName == null && Site == null && Protocol == null && Port == null && AllowLegacySsh == null && !ChangesCredential && !ClearCredential;

        /// <summary>Every reason this edit cannot be applied; empty when it can.</summary>
        public IReadOnlyList<string> Validate()
        {
            var errors = new List<string>();
            if (IsEmpty) errors.Add("Nothing to change: give a new name, site, protocol, port or credential.");
            if (NewName != null)
            {
                var name = NewName.Trim();
                if (name.Length == 0) errors.Add("The new name is empty.");
                else if (name.Length > MaxNameLength) errors.Add($"The new name is {name.Length} characters long; at most {MaxNameLength} are allowed.");
                foreach (char c in name)
                {
                    if (!char.IsControl(c)) continue;
                    errors.Add("The new name contains a control character (tab, line break...).");
                    break;
                }
            }
            if (Site != null) { DeviceSite.Normalize(Site, out var siteError); if (siteError != null) errors.Add(siteError); }
            if (Protocol != null && (!TransferProtocolNames.TryParse(Protocol, out var parsed, out var protocolError) || parsed == null))
                errors.Add(protocolError ?? "The protocol is empty: use SCP or FTP.");
            if (Port != null && DevicePort.Validate(Port.Value) is string portError) errors.Add(portError);
            if (ClearCredential && ChangesCredential) errors.Add("Give either a new credential or ClearCredential, not both.");
            if (Password != null && string.IsNullOrWhiteSpace(UserName)) errors.Add("A password needs a user name.");
            return errors;
        }

        /// <summary>What will change, for -WhatIf and -Verbose; never includes a secret.</summary>
        public string Describe(NmcDevice device)
        {
            var parts = new List<string>();
            if (NewName != null) parts.Add($"name '{device.DisplayName}' -> '{NewName.Trim()}'");
            if (Site != null)
            {
                var site = DeviceSite.Normalize(Site, out _);
                if (site != device.Site) parts.Add($"site '{device.Site ?? ""}' -> '{site ?? ""}'");
            }
            var protocol = EffectiveProtocol(device);
            if (protocol != device.Protocol) parts.Add($"protocol {TransferProtocolNames.ToText(device.Protocol)} -> {TransferProtocolNames.ToText(protocol)}");
            var port = EffectivePort(device);
            if (port != device.Port) parts.Add($"port {device.Port.ToString(CultureInfo.InvariantCulture)} -> {port.ToString(CultureInfo.InvariantCulture)}");
            if (AllowLegacySsh != null && AllowLegacySsh != device.AllowLegacySsh)
                parts.Add(AllowLegacySsh.Value ? "allow legacy SSH algorithms (SHA-1, ssh-rsa, CBC)" : "modern SSH algorithms only");
            if (ChangesCredential) parts.Add($"stored credential for user '{UserName}'");
            if (ClearCredential) parts.Add("remove the stored credential");
            return parts.Count == 0 ? "no change" : string.Join(", ", parts);
        }

        /// <summary>
        /// The port after the edit: as given; else, when the protocol changes and the card used the
        /// old protocol's default port, the new protocol's default; else unchanged (a custom port stays).
        /// </summary>
        public int EffectivePort(NmcDevice device)
        {
            if (Port != null) return Port.Value;
            var protocol = EffectiveProtocol(device);
            if (protocol != device.Protocol && device.Port == DevicePort.DefaultFor(device.Protocol))
                return DevicePort.DefaultFor(protocol);
            return device.Port;
        }

        public TransferProtocol EffectiveProtocol(NmcDevice device) =>
            Protocol != null && TransferProtocolNames.TryParse(Protocol, out var parsed, out _) && parsed != null ? parsed.Value : device.Protocol;

        /// <summary>Applies a validated edit; the password is encrypted for the current user at once.</summary>
        public void ApplyTo(NmcDevice device, ICredentialProtector? protector)
        {
            var errors = Validate();
            if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors));
            var port = EffectivePort(device);
            device.Protocol = EffectiveProtocol(device);
            device.Port = port;
            if (NewName != null) device.Name = NewName.Trim();
            if (Site != null) device.Site = DeviceSite.Normalize(Site, out _);
            if (AllowLegacySsh != null) device.AllowLegacySsh = AllowLegacySsh.Value;
            if (ClearCredential) DeviceCredentials.ClearCredential(device);
            if (ChangesCredential)
            {
                if (Password == null) device.UserName = UserName!.Trim();
                else (protector ?? throw new InvalidOperationException("Storing a password needs a credential protector."))
                        .SetCredential(device, UserName!.Trim(), Password);
            }
        }
    }
}
