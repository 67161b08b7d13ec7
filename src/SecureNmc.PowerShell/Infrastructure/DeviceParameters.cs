using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Security;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Turns the device parameters Add-NmcDevice and New-NmcDevice share into a validated device:
    /// Core validates (host, protocol, port, name); the PSCredential's password goes straight from
    /// its SecureString into the protector, never through a managed string here.
    /// </summary>
    internal static class DeviceParameters
    {
        public static DeviceInput ToInput(string host, string? name, string? protocol, string? port, string? userName, PSCredential? credential, string source) =>
            new DeviceInput
            {
                Host = host,
                Name = name,
                Protocol = protocol,
                Port = port,
                UserName = string.IsNullOrWhiteSpace(userName) ? credential?.UserName : userName,
                Source = source,
            };

        /// <summary>The device, or null with <paramref name="result"/> holding every reason it was refused.</summary>
        public static NmcDevice? Create(DeviceInputNormalizer normalizer, ICredentialProtector? protector, DeviceInput input, PSCredential? credential, out DeviceInputResult result)
        {
            result = normalizer.Normalize(input);
            if (!result.IsValid) return null;
            var device = result.Device!;
            if (credential != null && credential != PSCredential.Empty)
                (protector ?? throw new System.InvalidOperationException("Storing a password needs a credential protector.")).SetCredential(device, device.UserName ?? credential.UserName, credential.Password);
            return device;
        }

        /// <summary>"ups1 (10.0.0.5, SCP port 22)" for prompts and messages.</summary>
        public static string Describe(NmcDevice device)
        {
            var endpoint = $"{TransferProtocolNames.ToText(device.Protocol)} port {device.Port}";
            return device.DisplayName == device.Host
                ? $"{device.Host} ({endpoint})"
                : $"{device.DisplayName} ({device.Host}, {endpoint})";
        }
    }
}
