using System.Globalization;
using System.Text;
using SecureNmc.Core.CardFiles;

namespace SecureNmc.Simulator.Rendering
{
    /// <summary>config.ini as a card writes it: CRLF, the comment header with AOS and application versions and the generation line, then sections.</summary>
    public static class ConfigIniRenderer
    {
        public static string Render(CardRenderContext c)
        {
            var p = c.Profile;
            var nmc2 = p.Generation == NmcGeneration.Nmc2;
            var sb = new StringBuilder();
            void Line(string text) => sb.Append(text).Append("\r\n");

            Line("; Schneider Electric");
            Line($"; Network Management Card AOS v{p.AosVersion}");
            Line($"; {p.ApplicationHeaderName} APP v{p.ApplicationVersion}");
            Line(nmc2 ? "; (c) 2019 Schneider Electric. All rights reserved." : "; (c) 2023 Schneider Electric. All rights reserved.");
            Line($"; Configuration file, generated on {c.Now.ToString(CardRenderContext.DateFormat, CultureInfo.InvariantCulture)} at " +
                 $"{c.Now.ToString(CardRenderContext.TimeFormat, CultureInfo.InvariantCulture)} by {c.UserRole} {c.UserName}");
            Line("");
            Line("[NetworkTCP/IP]");
            Line("Override=" + p.MacAddress.Replace(":", " "));
            Line("SystemIP=" + p.IpAddress);
            Line("SubnetMask=255.0.0.0");
            Line("DefaultGateway=0.0.0.0");
            Line("IPv4=enabled");
            Line("BootMode=manual");
            Line("HostName=" + p.HostName);
            Line("DomainName=" + p.DomainName);
            Line("");
            Line("[NetworkSNMP]");
            Line("Access=disabled");
            Line("AccessControl1Community=");
            Line("");
            Line("[NetworkFTPServer]");
            Line("Access=" + (c.FtpEnabled ? "enabled" : "disabled"));
            Line("Port=" + c.FtpPort.ToString(CultureInfo.InvariantCulture));
            Line("");
            Line("[NetworkTelnet/SSH]");
            Line("Access=enabled");
            Line("Protocol=SSH");
            Line("SSHPort=" + c.SshPort.ToString(CultureInfo.InvariantCulture));
            Line("");
            Line("[SystemID]");
            Line("Name=" + p.SystemName);
            Line("Contact=" + p.SystemContact);
            Line("Location=" + p.SystemLocation);
            Line("");
            Line("[SystemDate/Time]");
            Line("Mode=manual");
            Line("Date=" + c.Now.ToString(CardRenderContext.DateFormat, CultureInfo.InvariantCulture));
            Line("Time=" + c.Now.ToString(CardRenderContext.TimeFormat, CultureInfo.InvariantCulture));
            Line("");
            Line("[EventActionConfig]");
            Line("E0001=enabled,informational"); // System: Coldstart.
            Line("E0078=enabled,informational"); // Firmware Updated.
            return sb.ToString();
        }
    }
}
