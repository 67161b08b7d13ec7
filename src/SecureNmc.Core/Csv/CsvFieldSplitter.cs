using System.Collections.Generic;
using System.Text;

namespace SecureNmc.Core.Csv
{
    internal enum CsvFieldError
    {
        None,
        /// <summary>A quote inside a field that does not start with a quote.</summary>
        StrayQuote,
        /// <summary>Text after the closing quote of a quoted field, before the next comma.</summary>
        TextAfterClosingQuote,
        /// <summary>A quoted field that reaches the end of the record without its closing quote.</summary>
        UnterminatedQuote,
    }

    /// <summary>
    /// Splits one record (already cut out of the file by <see cref="CsvRecordSplitter"/>) into its
    /// comma-separated fields, RFC 4180: a field in quotes may hold commas, line breaks and doubled quotes.
    /// Spaces around a quoted field are allowed (Excel writes none, hand-edited files do).
    /// </summary>
    internal static class CsvFieldSplitter
    {
        public static CsvFieldError Split(string record, List<string> fields)
        {
            fields.Clear();
            var field = new StringBuilder();
            int i = 0;
            while (true)
            {
                field.Clear();
                int start = i;
                while (i < record.Length && record[i] == ' ') i++;
                if (i < record.Length && record[i] == '"')
                {
                    i++;
                    while (true)
                    {
                        if (i >= record.Length) return CsvFieldError.UnterminatedQuote;
                        char c = record[i++];
                        if (c != '"') { field.Append(c); continue; }
                        if (i < record.Length && record[i] == '"') { field.Append('"'); i++; continue; }
                        break;
                    }
                    while (i < record.Length && record[i] == ' ') i++;
                    if (i < record.Length && record[i] != ',') return CsvFieldError.TextAfterClosingQuote;
                }
                else
                {
                    i = start;
                    while (i < record.Length && record[i] != ',')
                    {
                        if (record[i] == '"') return CsvFieldError.StrayQuote;
                        field.Append(record[i++]);
                    }
                }
                fields.Add(field.ToString());
                if (i >= record.Length) return CsvFieldError.None;
                i++; // the comma
            }
        }
    }
}
