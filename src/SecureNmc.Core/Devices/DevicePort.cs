using System.Globalization;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Devices
{
    /// <summary>Port rules: 1-65535 is accepted; what a card can be set to (21/22 or 5000-32768) only warns.</summary>
    public static class DevicePort
    {
        public const int Minimum = 1;
        public const int Maximum = 65535;

        /// <summary>NMC3 lets the SSH/FTP port be moved to 5000-32768 (field notes).</summary>
        public const int CardConfigurableMinimum = 5000;
        public const int CardConfigurableMaximum = 32768;

        public static int DefaultFor(TransferProtocol protocol) => protocol == TransferProtocol.Ftp ? NmcDevice.DefaultFtpPort : NmcDevice.DefaultScpPort;

        /// <summary>Null when the port is acceptable; otherwise why not.</summary>
        public static string? Validate(int port)
        {
            if (port < Minimum || port > Maximum)
                return $"The port {port.ToString(CultureInfo.InvariantCulture)} is not valid: a TCP port is a number from {Minimum} to {Maximum}.";
            return null;
        }

        /// <summary>A warning when a card could not be listening on this port; null when it could.</summary>
        public static string? UnusualPortWarning(int port, TransferProtocol protocol)
        {
            if (port == NmcDevice.DefaultScpPort || port == NmcDevice.DefaultFtpPort) 
            {
                if (port != DefaultFor(protocol))
                    return $"Port {port} is the usual {(port == NmcDevice.DefaultScpPort ? "SSH/SCP" : "FTP")} port but the protocol is {TransferProtocolNames.ToText(protocol)}; check that this is intended.";
                return null;
            }
            if (port >= CardConfigurableMinimum && port <= CardConfigurableMaximum) return null;
            return $"Port {port} is outside the ports a Network Management Card can use (21, 22, or {CardConfigurableMinimum}-{CardConfigurableMaximum}); check the card's {TransferProtocolNames.ToText(protocol)} settings.";
        }

        /// <summary>Parses a port from text (CSV cell, pipeline property). Empty means "use the protocol's default".</summary>
        public static bool TryParse(string? text, out int? port, out string? error)
        {
            port = null;
            error = null;
            if (string.IsNullOrWhiteSpace(text)) return true;
            var t = text!.Trim();
            if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                error = long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                    ? $"The port '{t}' is not valid: a TCP port is a number from {Minimum} to {Maximum}."
                    : $"The port '{t}' is not a number.";
                return false;
            }
            error = Validate(value);
            if (error != null) return false;
            port = value;
            return true;
        }
    }
}
