using System;
using System.Collections.Generic;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>One row of event.txt (code, date, time, text) or data.txt (date, time, measurements).</summary>
    public sealed class CardLogRow
    {
        internal CardLogRow(int lineNumber, IReadOnlyList<string> fields, string date, string time, DateTime? timestamp, string? code, string text, IReadOnlyList<string> values)
        {
            LineNumber = lineNumber;
            Fields = fields;
            Date = date;
            Time = time;
            Timestamp = timestamp;
            Code = code;
            Text = text;
            Values = values;
        }

        public int LineNumber { get; }

        /// <summary>All tab-separated fields as the card wrote them.</summary>
        public IReadOnlyList<string> Fields { get; }

        public string Date { get; }
        public string Time { get; }

        /// <summary>Card-local date and time, when the date is in a recognised form (MM/dd/yyyy, dd.MM.yyyy, yyyy-MM-dd).</summary>
        public DateTime? Timestamp { get; }

        /// <summary>Event code such as "0x0078" (event.txt); null when the row has none.</summary>
        public string? Code { get; }

        /// <summary>The remaining fields joined by a space: the event text, or the measurements of a data row.</summary>
        public string Text { get; }

        /// <summary>The fields other than date, time and code.</summary>
        public IReadOnlyList<string> Values { get; }
    }

    /// <summary>A parsed event.txt or data.txt: header facts and rows in file order (cards write newest first).</summary>
    public sealed class CardLogDocument
    {
        internal CardLogDocument(CardFileKind kind, IReadOnlyDictionary<string, string> header, IReadOnlyList<string> columns, IReadOnlyList<CardLogRow> rows)
        {
            Kind = kind;
            Header = header;
            Columns = columns;
            Rows = rows;
        }

        public CardFileKind Kind { get; }

        /// <summary>Every "Label: value" line of the header, label without the colon (case-insensitive keys).</summary>
        public IReadOnlyDictionary<string, string> Header { get; }

        /// <summary>The column-title line, when the file has one.</summary>
        public IReadOnlyList<string> Columns { get; }

        public IReadOnlyList<CardLogRow> Rows { get; }

        public string? FileFormatVersion { get; internal set; }
        public string? RetrievedOn { get; internal set; }
        public string? SystemName { get; internal set; }
        public string? SystemContact { get; internal set; }
        public string? SystemLocation { get; internal set; }
        public string? IpAddress { get; internal set; }
        public string? AosVersion { get; internal set; }
        public string? ApplicationName { get; internal set; }
        public string? ApplicationVersion { get; internal set; }

        /// <summary>The device the card sits in (data.txt header), e.g. "Smart-UPS 1500".</summary>
        public string? DeviceModel { get; internal set; }

        /// <summary>The card's serial number from the header, when the file has one (the only source over FTP).</summary>
        public string? SerialNumber { get; internal set; }

        /// <summary>The newest row whose text contains <paramref name="text"/> (case-insensitive), e.g. "Firmware Updated.".</summary>
        public CardLogRow? FindNewest(string text)
        {
            CardLogRow? best = null;
            foreach (var row in Rows)
            {
                if (row.Text.IndexOf(text, StringComparison.OrdinalIgnoreCase) < 0) continue;
                if (best == null) best = row;
                else if (row.Timestamp.HasValue && (!best.Timestamp.HasValue || row.Timestamp > best.Timestamp)) best = row;
            }
            return best;
        }
    }
}
