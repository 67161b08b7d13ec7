using System;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Devices
{
    /// <summary>Reads and writes protocol names as users type them ("SCP", "ftp").</summary>
    public static class TransferProtocolNames
    {
        public static string ToText(TransferProtocol protocol) => protocol == TransferProtocol.Ftp ? "FTP" : "SCP";

        /// <summary>Empty text means "not given" (null, no error). Unknown names get a specific error.</summary>
        public static bool TryParse(string? text, out TransferProtocol? protocol, out string? error)
        {
            protocol = null;
            error = null;
            if (string.IsNullOrWhiteSpace(text)) return true;
            var t = text!.Trim();
            if (t.Equals("SCP", StringComparison.OrdinalIgnoreCase)) { protocol = TransferProtocol.Scp; return true; }
            if (t.Equals("FTP", StringComparison.OrdinalIgnoreCase)) { protocol = TransferProtocol.Ftp; return true; }
            if (t.Equals("SFTP", StringComparison.OrdinalIgnoreCase))
                error = "The protocol 'SFTP' is not supported: Network Management Cards have no SFTP service. Use SCP (over SSH) or FTP.";
            else if (t.Equals("SSH", StringComparison.OrdinalIgnoreCase))
                error = "The protocol 'SSH' is not a file transfer protocol: use SCP (which runs over SSH) or FTP.";
            else
                error = $"The protocol '{t}' is not known: use SCP (the default) or FTP.";
            return false;
        }
    }
}
