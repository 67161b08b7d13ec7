using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>
    /// Reads event.txt and data.txt leniently. Both are tab-delimited: header lines "Label:&lt;tab&gt;value"
    /// (file-format version, retrieval date, name / contact / location, IP, AOS and application
    /// versions, and in data.txt the device model), an optional column-title line, then rows holding a
    /// date with a four-digit year and a time. The order of the fields in a row, extra or missing
    /// columns, spaces instead of tabs in the header and CRLF or LF are all tolerated.
    /// Throws <see cref="CardFileFormatException"/> only when nothing in the text is a header line or a row.
    /// </summary>
    public static class CardLogParser
    {
        private static readonly Regex DateField = CardText.Pattern(@"^(\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2})$");
        private static readonly Regex TimeField = CardText.Pattern(@"^\d{1,2}:\d{2}(:\d{2})?$");
        private static readonly Regex CodeField = CardText.Pattern(@"^(0x[0-9a-f]{1,8}|E?\d{1,5})$");
        private static readonly Regex LabelLine = CardText.Pattern(@"^\s*([A-Za-z][A-Za-z0-9 ./()&_-]{0,60}?)\s*(?::\s*|\t+\s*)(.*)$");
        private static readonly Regex AppLabel = CardText.Pattern(@"^(.{1,80}?)\s+APP\b");
        private static readonly string[] DateFormats = { "MM/dd/yyyy", "M/d/yyyy", "dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd", "yyyy-M-d" };
        private static readonly string[] TimeFormats = { "HH:mm:ss", "H:mm:ss", "HH:mm", "H:mm" };

        public static CardLogDocument ParseEventLog(string text) => Parse(text, CardFileKind.EventLog);
        public static CardLogDocument ParseDataLog(string text) => Parse(text, CardFileKind.DataLog);
        public static CardLogDocument ParseEventLog(byte[] content) => Parse(CardText.Decode(content), CardFileKind.EventLog);
        public static CardLogDocument ParseDataLog(byte[] content) => Parse(CardText.Decode(content), CardFileKind.DataLog);

        public static CardLogDocument Parse(string text, CardFileKind kind)
        {
            if (kind != CardFileKind.EventLog && kind != CardFileKind.DataLog)
                throw new ArgumentOutOfRangeException(nameof(kind), "Only event.txt and data.txt are log files.");
            var lines = CardText.Lines(text, kind);
            var header = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var columns = new List<string>();
            var rows = new List<CardLogRow>();
            string? aos = null, appName = null, appVersion = null;

            for (int n = 0; n < lines.Count; n++)
            {
                var line = lines[n];
                if (line.Trim().Length == 0) continue;
                var fields = line.Split('\t').Select(f => f.Trim()).ToList();
                int dateIndex = fields.FindIndex(f => CardText.Match(DateField, f, kind).Success);
                int timeIndex = fields.FindIndex(f => CardText.Match(TimeField, f, kind).Success);
                bool firstIsLabel = fields[0].Length > 0 && (fields[0].EndsWith(":", StringComparison.Ordinal) ||
                    fields[0].All(c => char.IsLetter(c) || c == ' ' || c == '/' || c == '(' || c == ')' || c == '-' || c == '.'));

                if (dateIndex >= 0 && timeIndex >= 0 && !firstIsLabel)
                {
                    rows.Add(MakeRow(n + 1, fields, dateIndex, timeIndex, kind));
                    continue;
                }
                if (rows.Count == 0 && columns.Count == 0 && fields.Count >= 2 &&
                    fields.Any(f => f.Equals("Date", StringComparison.OrdinalIgnoreCase)) &&
                    fields.Any(f => f.Equals("Time", StringComparison.OrdinalIgnoreCase)))
                {
                    columns.AddRange(fields);
                    continue;
                }
                if (rows.Count > 0) continue; // a stray line among rows: ignored

                var m = CardText.Match(LabelLine, line, kind);
                if (!m.Success) continue;
                var label = m.Groups[1].Value.Trim();
                var value = string.Join(" ", m.Groups[2].Value.Split(new[] { '\t' }, StringSplitOptions.RemoveEmptyEntries).Select(v => v.Trim())).Trim();
                if (!header.ContainsKey(label)) header[label] = value;

                if (label.IndexOf("AOS", StringComparison.OrdinalIgnoreCase) >= 0 && aos == null)
                    aos = CardText.FindVersion(value, kind);
                else
                {
                    var app = CardText.Match(AppLabel, label, kind);
                    if (app.Success && appVersion == null)
                    {
                        appName = CardText.Clean(app.Groups[1].Value);
                        appVersion = CardText.FindVersion(value, kind);
                    }
                }
            }

            if (header.Count == 0 && rows.Count == 0 && columns.Count == 0)
                throw new CardFileFormatException(kind, "no header line and no dated row: this is not a card log file.");

            return new CardLogDocument(kind, header, columns, rows)
            {
                FileFormatVersion = CardText.FindVersion(Find(header, "format version") ?? "", kind),
                RetrievedOn = CardText.Clean(Find(header, "retriev") ?? Find(header, "date")),
                SystemName = CardText.Clean(Exact(header, "Name", "System Name")),
                SystemContact = CardText.Clean(Exact(header, "Contact", "System Contact")),
                SystemLocation = CardText.Clean(Exact(header, "Location", "System Location")),
                IpAddress = CardText.Clean(Exact(header, "IP", "IP Address", "IPv4 Address", "System IP")),
                AosVersion = aos,
                ApplicationName = appName,
                ApplicationVersion = appVersion,
                DeviceModel = CardText.Clean(Find(header, "model")),
                SerialNumber = CardText.Clean(Exact(header, "Serial Number", "Card Serial Number", "NMC Serial Number")),
            };
        }

        private static CardLogRow MakeRow(int lineNumber, List<string> fields, int dateIndex, int timeIndex, CardFileKind kind)
        {
            string? code = null;
            var values = new List<string>();
            for (int i = 0; i < fields.Count; i++)
            {
                if (i == dateIndex || i == timeIndex) continue;
                if (code == null && kind == CardFileKind.EventLog && CardText.Match(CodeField, fields[i], kind).Success)
                {
                    code = fields[i];
                    continue;
                }
                if (fields[i].Length > 0) values.Add(fields[i]);
            }
            var date = fields[dateIndex];
            var time = fields[timeIndex];
            DateTime? timestamp = null;
            if (DateTime.TryParseExact(date, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) &&
                DateTime.TryParseExact(time, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
                timestamp = d.Date + t.TimeOfDay;
            return new CardLogRow(lineNumber, fields, date, time, timestamp, code, string.Join(" ", values), values);
        }

        private static string? Find(Dictionary<string, string> header, string fragment) =>
            header.FirstOrDefault(p => p.Key.IndexOf(fragment, StringComparison.OrdinalIgnoreCase) >= 0).Value;

        private static string? Exact(Dictionary<string, string> header, params string[] labels)
        {
            foreach (var label in labels)
                if (header.TryGetValue(label, out var value)) return value;
            return null;
        }
    }
}
