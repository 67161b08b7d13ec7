using SecureNmc.Core.Ftp;
using System;
using System.Net;

namespace SecureNmc.Simulator.Ftp.Server
{
    /// <summary>Where and how the FTP server listens and what it says.</summary>
    public sealed class FtpServerOptions
    {
        public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

        /// <summary>0 picks a free port; see <see cref="FtpServer.LocalEndPoint"/>.</summary>
        public int Port { get; set; }

        /// <summary>The 220 welcome; several lines become a multi-line reply.</summary>
        public string Greeting { get; set; } = "FTP server ready.";

        /// <summary>Reply text (code 550) when a read-only user tries STOR; cards say exactly this.</summary>
        public string ReadOnlyUploadRefusal { get; set; } = "STOR requested action not taken.";

        /// <summary>Text of the 150 reply before a transfer; cards say exactly this.</summary>
        public string OpeningDataConnectionText { get; set; } = "File status okay; about to open data connection.";

        public string SystemType { get; set; } = "UNIX Type: L8";

        /// <summary>Closes a control connection silent for this long (421).</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Longest wait for a data connection to open, and longest silence on one.</summary>
        public TimeSpan DataTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Inclusive passive port range; 0/0 lets the system choose.</summary>
        public int PassivePortMin { get; set; }
        public int PassivePortMax { get; set; }
    }
}
