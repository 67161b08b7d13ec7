using System;
using System.IO;
using System.Text;
using SecureNmc.Core.DataExchange;

namespace SecureNmc.Core.Reports
{
    /// <summary>What Export-NmcReport wrote.</summary>
    public sealed class ReportExportResult
    {
        internal ReportExportResult(string path, ReportFormat format, FleetReport report, long length)
        {
            Path = path;
            Format = format;
            Devices = report.DeviceCount;
            NeedingAction = report.Actions.Count;
            OnLatest = report.OnLatest;
            ExpiringSoon = report.SubscriptionsExpiringSoon;
            Expired = report.SubscriptionsExpired;
            LastRunCards = report.LastRun?.Cards.Count ?? 0;
            LastRunFailed = report.LastRun?.Failed ?? 0;
            Length = length;
        }

        public string Path { get; }
        public ReportFormat Format { get; }
        public int Devices { get; }
        public int OnLatest { get; }
        public int NeedingAction { get; }
        public int ExpiringSoon { get; }
        public int Expired { get; }
        public int LastRunCards { get; }
        public int LastRunFailed { get; }
        public long Length { get; }

        /// <summary>The last run as the result table shows it ("12 (2 failed)", or "none").</summary>
        public string LastRun => LastRunCards > 0 ? $"{LastRunCards} ({LastRunFailed} failed)" : "none";

        public override string ToString() => Path;
    }

    /// <summary>Writes a report file whole or not at all (<see cref="ExportFileWriter"/>: temporary file, then rename; an existing file only with force).</summary>
    public static class FleetReportExporter
    {
        public static void CheckTarget(string path, bool force) => ExportFileWriter.CheckTarget(Path.GetFullPath(path), force);

        public static ReportExportResult WriteFile(string path, ReportFormat format, FleetReport report, bool force)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            path = Path.GetFullPath(path);
            // CSV gets a BOM so spreadsheets pick UTF-8; HTML and JSON do not need one.
            var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: format == ReportFormat.Csv);
            ExportFileWriter.Write(path, force, stream =>
            {
                using (var writer = new StreamWriter(stream, encoding, 1 << 16, leaveOpen: true))
                {
                    switch (format)
                    {
                        case ReportFormat.Csv: FleetReportCsvWriter.Write(writer, report); break;
                        case ReportFormat.Json: writer.Write(FleetReportJsonWriter.Write(report)); break;
                        default: writer.Write(FleetReportHtmlWriter.Write(report)); break;
                    }
                    writer.Flush();
                }
            });
            return new ReportExportResult(path, format, report, new FileInfo(path).Length);
        }
    }
}
