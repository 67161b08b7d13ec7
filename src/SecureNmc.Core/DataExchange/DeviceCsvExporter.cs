using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsvHelper;
using SecureNmc.Core.Csv;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>
    /// Export-NmcBundle -Format Csv: the minimal device data needed to license cards and download
    /// their firmware on another machine. No user name, password or other credential is ever
    /// written; every cell is neutralised against spreadsheet formula injection. The Host and Name
    /// columns use the names Import-NmcDevice reads, so the file also seeds another inventory.
    /// </summary>
    public static class DeviceCsvExporter
    {
        /// <summary>The columns, in order. Nothing here is a secret.</summary>
        public static IReadOnlyList<string> Columns { get; } = new[]
        {
            "Host", "Port", "Protocol", "Name", "Model", "SerialNumber", "MacAddress", "HardwareRevision",
            "ApplicationType", "AosVersion", "ApplicationVersion", "BootloaderVersion", "Status",
        };

        public static void Write(TextWriter writer, IEnumerable<NmcDevice> devices)
        {
            var options = new CsvWriterOptions().Set(nameof(CsvWriterOptions.NewLine), "\r\n"); // see CsvOptionSetter
            using (var csv = CsvWriter.Create(writer, options, leaveOpen: true))
            {
                foreach (var column in Columns) csv.WriteField(column);
                csv.EndRecord();
                foreach (var d in devices)
                {
                    // Our own neutralising (SpreadsheetSafety) rather than the writer's, so the rule is one the tests pin.
                    foreach (var cell in Cells(d)) csv.WriteField(SpreadsheetSafety.Neutralize(cell) ?? "");
                    csv.EndRecord();
                }
                csv.Flush();
            }
        }

        /// <summary>Writes the file atomically (UTF-8 with BOM, so spreadsheets pick the right encoding); returns the device count.</summary>
        public static int WriteFile(string path, IReadOnlyCollection<NmcDevice> devices, bool force)
        {
            ExportFileWriter.Write(path, force, stream =>
            {
                using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16, leaveOpen: true))
                {
                    Write(writer, devices);
                    writer.Flush();
                }
            });
            return devices.Count;
        }

        private static IEnumerable<string?> Cells(NmcDevice d) => new[]
        {
            d.Host,
            d.Port.ToString(CultureInfo.InvariantCulture),
            d.Protocol.ToString().ToUpperInvariant(),
            d.Name,
            d.Model,
            d.SerialNumber,
            d.MacAddress,
            d.HardwareRevision,
            d.ApplicationType?.ToString(),
            d.AosVersion,
            d.ApplicationVersion,
            d.BootloaderVersion,
            d.Status.ToText(),
        };
    }
}
