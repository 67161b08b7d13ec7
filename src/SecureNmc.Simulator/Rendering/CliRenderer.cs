using System.Globalization;
using System.Text;
using SecureNmc.Core.CardFiles;
using SecureNmc.Simulator.Cards;

namespace SecureNmc.Simulator.Rendering
{
    /// <summary>The CLI texts: the <c>about</c> output, the login banner and the FTP welcome line.</summary>
    public static class CliRenderer
    {
        public static string RenderAbout(CardRenderContext c)
        {
            var p = c.Profile;
            var date = c.BootTime.ToString(CardRenderContext.DateFormat, CultureInfo.InvariantCulture);
            var sb = new StringBuilder();
            void Line(string text) => sb.Append(text).Append("\r\n");
            Line("E000: Success");
            Line("Hardware Factory");
            Line("---------------");
            Line("Model Number:\t\t" + p.Model);
            Line("Serial Number:\t\t" + p.SerialNumber);
            Line("Hardware Revision:\t" + p.HardwareRevision);
            Line("Manufacture Date:\t" + p.ManufactureDate);
            Line("MAC Address:\t\t" + p.MacAddress.Replace(":", " "));
            Line("Management Uptime:\t" + c.Uptime);
            Line("");
            Module(sb, "Application Module", p.ApplicationModuleName, p.ApplicationVersion, date);
            Module(sb, "APC OS(AOS)", "aos", p.AosVersion, date);
            Module(sb, p.Generation == NmcGeneration.Nmc2 ? "APC Boot Monitor" : "APC Boot Loader", p.BootModuleName, p.BootloaderVersion, date);
            return sb.ToString();
        }

        private static void Module(StringBuilder sb, string title, string name, string version, string date)
        {
            sb.Append(title).Append("\r\n").Append("---------------\r\n");
            sb.Append("Name:\t\t\t").Append(name).Append("\r\n");
            sb.Append("Version:\t\tv").Append(version).Append("\r\n");
            sb.Append("Date:\t\t\t").Append(date).Append("\r\n");
            sb.Append("Time:\t\t\t00:00:00\r\n\r\n");
        }

        /// <summary>The banner shown at login: versions in two columns, then the system identity block.</summary>
        public static string RenderBanner(CardRenderContext c)
        {
            var p = c.Profile;
            var sb = new StringBuilder();
            sb.Append(Columns("Schneider Electric", Columns("Network Management Card AOS", "v" + p.AosVersion, 34), 40)).Append("\r\n");
            sb.Append(Columns(p.Generation == NmcGeneration.Nmc2 ? "(c)Copyright 2019 All Rights Reserved" : "(c)Copyright 2023 All Rights Reserved",
                              Columns(p.ApplicationHeaderName + " APP", "v" + p.ApplicationVersion, 34), 40)).Append("\r\n");
            sb.Append(new string('-', 79)).Append("\r\n");
            sb.Append(Columns("Name      : " + p.SystemName, "Date : " + c.Now.ToString(CardRenderContext.DateFormat, CultureInfo.InvariantCulture), 52)).Append("\r\n");
            sb.Append(Columns("Contact   : " + p.SystemContact, "Time : " + c.Now.ToString(CardRenderContext.TimeFormat, CultureInfo.InvariantCulture), 52)).Append("\r\n");
            sb.Append(Columns("Location  : " + p.SystemLocation, "User : " + c.UserRole, 52)).Append("\r\n");
            sb.Append(Columns("Up Time   : " + c.Uptime, "Stat : P+ N4+ N6+ A+", 52)).Append("\r\n");
            return sb.ToString();
        }

        /// <summary>"220 ..." text of the FTP server (without the code).</summary>
        public static string RenderFtpWelcome(CardProfile p) => $"Network Management Card AOS v{p.AosVersion} FTP server ready.";

        /// <summary>Left text padded to <paramref name="width"/> (at least two spaces), then the right text.</summary>
        private static string Columns(string left, string right, int width) =>
            left + new string(' ', left.Length + 2 > width ? 2 : width - left.Length) + right;
    }
}
