using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Security;

namespace SecureNmc.Core.Csv
{
    /// <summary>
    /// Reads the SNS Tool's bulk device file (devices.csv): comma-separated, RFC 4180 quoting, lines
    /// starting with ';' ignored, blank lines ignored, UTF-8 with or without BOM (UTF-16 with BOM too).
    /// The first line is a header when any of its cells is a known column name (see
    /// <see cref="DeviceInput.FieldAliases"/>); otherwise columns are, in order,
    /// <see cref="DefaultColumnOrder"/>. Passwords are protected as each line is read.
    /// <para>
    /// The file is streamed line by line with every line capped (<see cref="MaxLineBytes"/>), and record
    /// boundaries are decided here rather than by a CSV library: a quote that is never closed must cost
    /// the one line that opened it, and a library parser that has swallowed the rest of the file into a
    /// field cannot give those lines back. A quoted field may span lines only when it closes within the
    /// cap and the record it makes has no more fields than the columns; otherwise the quote is reported
    /// on the line that opened it and the following lines are read again on their own.
    /// A file holding NUL bytes or bytes that are not UTF-8 is refused as a whole; a line holding other
    /// control characters is refused on its own.
    /// </para>
    /// </summary>
    public sealed class DeviceCsvReader
    {
        /// <summary>Column order of a file without a header row: the fields of the SNS Tool's Add Devices dialog, then the name.</summary>
        public static IReadOnlyList<string> DefaultColumnOrder { get; } = new[]
        {
            nameof(DeviceInput.Host), nameof(DeviceInput.Protocol), nameof(DeviceInput.Port),
            nameof(DeviceInput.UserName), nameof(DeviceInput.Password), nameof(DeviceInput.Name),
        };

        private readonly DeviceInputNormalizer _normalizer;
        private readonly ILogger _logger;

        public DeviceCsvReader(ICredentialProtector? protector, ILogger? logger = null)
        {
            _normalizer = new DeviceInputNormalizer(protector);
            _logger = logger ?? NullLogger.Instance;
        }

        /// <summary>
        /// The longest line (and the longest record, when a quoted field spans lines) kept, in characters.
        /// A device line is a few hundred; a longer line is drained without being held, so a hostile file
        /// (one 50 MB line, a quote never closed) costs no more memory than this.
        /// </summary>
        public const int MaxLineBytes = 64 * 1024;

        public DeviceCsvReadResult ReadFile(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            var fullPath = Path.GetFullPath(path);
            try
            {
                using (var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.SequentialScan))
                using (var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true))
                    return Read(reader, fullPath);
            }
            catch (FileNotFoundException e) { throw new FileNotFoundException($"The device file '{fullPath}' does not exist.", fullPath, e); }
            catch (DirectoryNotFoundException e) { throw new FileNotFoundException($"The device file '{fullPath}' does not exist (its folder is missing).", fullPath, e); }
        }

        public DeviceCsvReadResult Read(TextReader reader, string source)
        {
            if (reader == null) throw new ArgumentNullException(nameof(reader));
            var rows = new List<DeviceImportRow>();
            var problems = new List<DeviceImportProblem>();
            var warnings = new List<string>();
            bool containsPasswords = false;
            bool? hasHeader = null;
            string[] columns = DefaultColumnOrder.ToArray();
            var splitter = new CsvRecordSplitter(reader, MaxLineBytes);
            var fields = new List<string>();
            var continuation = new List<CsvPhysicalLine>();

            while (true)
            {
                var line = splitter.ReadLine();
                if (line == null) break;
                if (line.Defect == CsvLineDefect.NotText)
                    return NotTextFile(source, line.Number, hasHeader == true, columns);
                if (line.Defect != CsvLineDefect.None)
                {
                    problems.Add(new DeviceImportProblem(line.Number, DeviceImportProblemKind.BadLine, DefectReason(line.Defect), null));
                    continue;
                }
                var text = line.Text!;
                if (text.Length > 0 && text[0] == ';') continue; // a comment
                if (string.IsNullOrWhiteSpace(text)) continue;   // blank

                // A quote left open at the end of the line continues the field on the next lines, up to the
                // line cap in all; it must close there and make a record of no more fields than the columns.
                // Otherwise the quote is reported on the line that opened it and the lines after it are read
                // again as lines of their own, so one bad quote costs one line, not the rest of the file.
                continuation.Clear();
                string? record = text;
                CsvPhysicalLine? notText = null;
                if (line.HasOddQuoteCount)
                {
                    bool closed = false;
                    long length = text.Length;
                    while (true)
                    {
                        var next = splitter.ReadLine();
                        if (next == null) break;
                        if (next.Defect == CsvLineDefect.NotText) { notText = next; break; }
                        continuation.Add(next);
                        if (next.Defect != CsvLineDefect.None) break;
                        length += 1 + next.Text!.Length;
                        if (length > MaxLineBytes) break;
                        if (next.HasOddQuoteCount) { closed = true; break; }
                    }
                    if (notText != null) return NotTextFile(source, notText.Number, hasHeader == true, columns);
                    if (closed) record = text + "\n" + string.Join("\n", continuation.Select(l => l.Text));
                    else record = null;
                }

                var error = record == null ? CsvFieldError.UnterminatedQuote : CsvFieldSplitter.Split(record!, fields);
                if (error == CsvFieldError.None && continuation.Count > 0 && HasExtraFields(fields, columns))
                    error = CsvFieldError.UnterminatedQuote; // the quote "closed" only on a later device line
                if (error != CsvFieldError.None)
                {
                    if (continuation.Count > 0)
                    {
                        splitter.PushBack(continuation);
                        error = CsvFieldSplitter.Split(text, fields); // the line alone says what is wrong with it
                        if (error == CsvFieldError.None) error = CsvFieldError.UnterminatedQuote;
                    }
                    problems.Add(new DeviceImportProblem(line.Number, DeviceImportProblemKind.BadLine, QuoteReason(error), null));
                    continue;
                }

                int lineNumber = line.Number;
                var cells = fields.ToArray();
                if (cells.All(string.IsNullOrWhiteSpace)) continue; // a line of empty cells: blank

                if (hasHeader == null)
                {
                    var mapped = cells.Select(DeviceInput.FieldForHeader).ToArray();
                    hasHeader = mapped.Any(f => f != null);
                    if (hasHeader == true)
                    {
                        var headerProblem = CheckHeader(cells, mapped, warnings);
                        if (headerProblem != null)
                        {
                            problems.Add(new DeviceImportProblem(lineNumber, DeviceImportProblemKind.BadLine, headerProblem, null));
                            _logger.LogWarning("Device file {Source}: {Problem}", source, headerProblem);
                            return new DeviceCsvReadResult(source, rows, problems, warnings, true, mapped.Select(f => f ?? "").ToArray(), false);
                        }
                        columns = mapped.Select(f => f ?? "").ToArray();
                        continue;
                    }
                }

                var row = ReadRow(cells, columns, lineNumber, hasHeader == true, problems);
                if (row == null) continue;
                var result = _normalizer.Normalize(row);
                containsPasswords |= result.HadPassword;
                if (result.IsValid)
                {
                    rows.Add(new DeviceImportRow(lineNumber, result.Device!, result.Warnings));
                    warnings.AddRange(result.Warnings);
                }
                else
                {
                    problems.Add(new DeviceImportProblem(lineNumber, KindOf(result.Errors[0].Field), result.ErrorMessage, row.Host));
                }
            }

            _logger.LogInformation("Read device file {Source}: {Good} valid line(s), {Bad} bad line(s){Secrets}.", source, rows.Count, problems.Count,
                containsPasswords ? ", with plaintext passwords (now protected)" : "");
            return new DeviceCsvReadResult(source, rows, problems, warnings, hasHeader == true, columns, containsPasswords);
        }

        private static bool HasExtraFields(List<string> fields, string[] columns) =>
            fields.Count > columns.Length && fields.Skip(columns.Length).Any(c => !string.IsNullOrWhiteSpace(c));

        /// <summary>
        /// A NUL or a byte sequence that is not UTF-8 means the file is not a text file (a binary, a
        /// UTF-16 file without its byte order mark, a spreadsheet saved in its own format): nothing is
        /// read from it, not even the lines before, because text cut out of binary data can look like a
        /// host name ("V", "t") and must never become a device.
        /// </summary>
        private DeviceCsvReadResult NotTextFile(string source, int lineNumber, bool hasHeader, string[] columns)
        {
            var reason = $"The file is not a text file: line {lineNumber.ToString(CultureInfo.InvariantCulture)} holds a NUL byte or bytes that are not UTF-8, " +
                "so no device was read from it. Save the device list as CSV (UTF-8, or UTF-16 with a byte order mark).";
            _logger.LogInformation("Device file {Source}: {Problem}", source, reason); // the caller reports it as an error; a warning would say it twice
            return new DeviceCsvReadResult(source, new List<DeviceImportRow>(),
                new[] { new DeviceImportProblem(lineNumber, DeviceImportProblemKind.BadLine, reason, null) },
                new List<string>(), hasHeader, columns, false);
        }

        private static string DefectReason(CsvLineDefect defect) => defect == CsvLineDefect.TooLong
            ? $"The line is longer than {MaxLineBytes / 1024} KiB, so it was skipped without being read (a device line is a few hundred characters)."
            : "The line holds control characters, which no device field contains (is this a device file?). Remove them.";

        /// <summary>A line with bad quoting; the raw text is never shown (it may hold a password).</summary>
        private static string QuoteReason(CsvFieldError error) => error switch
        {
            CsvFieldError.UnterminatedQuote =>
                "A quoted field opened on this line is never closed. Close the quote (and double any quote inside the field); the lines after it were read on their own.",
            CsvFieldError.TextAfterClosingQuote =>
                "The line is not valid comma-separated text: text follows the closing quote of a quoted field. Put the whole field in quotes and double the quote inside it.",
            _ =>
                "The line is not valid comma-separated text: a quote (\") appears inside a field that is not quoted. Put the whole field in quotes and double the quote inside it.",
        };

        private DeviceInput? ReadRow(string[] record, string[] columns, int lineNumber, bool hasHeader, List<DeviceImportProblem> problems)
        {
            if (record.Length > columns.Length && record.Skip(columns.Length).Any(c => !string.IsNullOrWhiteSpace(c)))
            {
                var expected = hasHeader
                    ? $"the header has {columns.Length} columns"
                    : $"a file without a header row has at most {columns.Length} columns: {string.Join(", ", DefaultColumnOrder)}";
                problems.Add(new DeviceImportProblem(lineNumber, DeviceImportProblemKind.BadLine,
                    $"The line has {record.Length} fields but {expected}. Quote fields that contain commas.", record[0]));
                return null;
            }
            var input = new DeviceInput { Source = "Line " + lineNumber.ToString(CultureInfo.InvariantCulture) };
            for (int i = 0; i < record.Length && i < columns.Length; i++)
            {
                if (columns[i].Length == 0) continue;
                var value = record[i];
                input.SetFieldIfEmpty(columns[i], string.IsNullOrEmpty(value) ? null : value);
            }
            if (input.Host != null && input.Host.IndexOf(';') >= 0 && record.Length == 1)
            {
                problems.Add(new DeviceImportProblem(lineNumber, DeviceImportProblemKind.BadLine,
                    "The line looks semicolon-separated; the device file must be comma-separated (lines starting with ';' are comments).", input.Host));
                return null;
            }
            return input;
        }

        private static string? CheckHeader(string[] record, string?[] mapped, List<string> warnings)
        {
            if (!mapped.Contains(nameof(DeviceInput.Host)))
                return $"The header row names no host column. Name it one of: {string.Join(", ", DeviceInput.FieldAliases[nameof(DeviceInput.Host)])}.";
            var repeated = mapped.Where(f => f != null).GroupBy(f => f).FirstOrDefault(g => g.Count() > 1);
            if (repeated != null)
                return $"The header row has more than one column for {repeated.Key} ({string.Join(", ", record.Where((_, i) => mapped[i] == repeated.Key))}); keep one.";
            for (int i = 0; i < record.Length; i++)
            {
                if (mapped[i] == null && !string.IsNullOrWhiteSpace(record[i]))
                    warnings.Add($"The column '{record[i].Trim()}' is not a device field and is ignored.");
            }
            return null;
        }

        private static DeviceImportProblemKind KindOf(string field) => field switch
        {
            nameof(DeviceInput.Host) => DeviceImportProblemKind.BadAddress,
            nameof(DeviceInput.Port) => DeviceImportProblemKind.BadPort,
            nameof(DeviceInput.Protocol) => DeviceImportProblemKind.UnknownProtocol,
            _ => DeviceImportProblemKind.BadField,
        };
    }
}
