using System;
using System.Globalization;
using System.Text;
using SecureNmc.Core.CardFiles;

namespace SecureNmc.Simulator.Rendering
{
    /// <summary>
    /// event.txt and data.txt: tab-delimited, a header (file-format version, retrieval date and time,
    /// Name / Contact / Location, IP; on NMC3 also the AOS and application versions and, in data.txt,
    /// the device model), a column-title line, then rows newest first. CRLF line ends.
    /// </summary>
    public static class LogFileRenderer
    {
        public const string FileFormatVersion = "1.0";

        public static string RenderEventLog(CardRenderContext c)
        {
            var sb = new StringBuilder();
            Header(sb, c, "Event Log", withDeviceModel: false);
            sb.Append("Code\tDate\tTime\tEvent\r\n");
            foreach (var e in c.Events)
                sb.Append(e.Code).Append('\t')
                  .Append(e.Time.ToString(CardRenderContext.DateFormat, CultureInfo.InvariantCulture)).Append('\t')
                  .Append(e.Time.ToString(CardRenderContext.TimeFormat, CultureInfo.InvariantCulture)).Append('\t')
                  .Append(e.Text).Append("\r\n");
            return sb.ToString();
        }

        /// <summary>Rows every 10 minutes back from now: input/output voltage, load, battery charge, temperature.</summary>
        public static string RenderDataLog(CardRenderContext c, int rows = 36)
        {
            var sb = new StringBuilder();
            Header(sb, c, "Data Log", withDeviceModel: true);
            sb.Append("Date\tTime\tVin\tVout\tLoad %\tBattery %\tTemp C\r\n");
            var start = new DateTime(c.Now.Year, c.Now.Month, c.Now.Day, c.Now.Hour, c.Now.Minute / 10 * 10, 0);
            int seed = c.Profile.SerialNumber.GetHashCode() & 0xFFFF;
            for (int i = 0; i < rows; i++)
            {
                var t = start.AddMinutes(-10 * i);
                double wobble = ((seed + i * 37) % 17) / 10.0;
                sb.Append(t.ToString(CardRenderContext.DateFormat, CultureInfo.InvariantCulture)).Append('\t')
                  .Append(t.ToString(CardRenderContext.TimeFormat, CultureInfo.InvariantCulture)).Append('\t')
                  .Append((229.0 + wobble).ToString("0.0", CultureInfo.InvariantCulture)).Append('\t')
                  .Append((230.0).ToString("0.0", CultureInfo.InvariantCulture)).Append('\t')
                  .Append((20.0 + wobble * 3).ToString("0.0", CultureInfo.InvariantCulture)).Append('\t')
                  .Append("100.0\t")
                  .Append((24.0 + wobble).ToString("0.0", CultureInfo.InvariantCulture)).Append("\r\n");
            }
            return sb.ToString();
        }

        private static void Header(StringBuilder sb, CardRenderContext c, string title, bool withDeviceModel)
        {
            var p = c.Profile;
            sb.Append(title).Append(" File Format Version:\t").Append(FileFormatVersion).Append("\r\n");
            sb.Append("Date of Retrieval:\t").Append(c.Now.ToString(CardRenderContext.DateFormat, CultureInfo.InvariantCulture))
              .Append('\t').Append(c.Now.ToString(CardRenderContext.TimeFormat, CultureInfo.InvariantCulture)).Append("\r\n");
            sb.Append("Name:\t").Append(p.SystemName).Append("\r\n");
            sb.Append("Contact:\t").Append(p.SystemContact).Append("\r\n");
            sb.Append("Location:\t").Append(p.SystemLocation).Append("\r\n");
            sb.Append("IP:\t").Append(p.IpAddress).Append("\r\n");
            if (p.Generation == NmcGeneration.Nmc3)
            {
                sb.Append("Network Management Card AOS:\tv").Append(p.AosVersion).Append("\r\n");
                sb.Append(p.ApplicationHeaderName).Append(" APP:\tv").Append(p.ApplicationVersion).Append("\r\n");
                // The card's own serial number: over FTP (no CLI 'about') the log headers are where a
                // query learns it, and licensing needs it.
                sb.Append("Serial Number:\t").Append(p.SerialNumber).Append("\r\n");
                if (withDeviceModel) sb.Append("Model:\t").Append(p.DeviceModel).Append("\r\n");
            }
            sb.Append("\r\n");
        }
    }
}
