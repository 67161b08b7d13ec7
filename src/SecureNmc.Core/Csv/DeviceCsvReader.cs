using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsvHelper;
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
        /// The longest line (record) read, in bytes. A device line is a few hundred bytes; the cap
        /// keeps a hostile file (one huge line, a quote never closed) from growing the buffer without bound.
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
            var rows = new List<DeviceImportRow>();
            var problems = new List<DeviceImportProblem>();
            var warnings = new List<string>();
            bool containsPasswords = false;
            bool? hasHeader = null;
            string[] columns = DefaultColumnOrder.ToArray();

            // Set one by one: see CsvOptionSetter for why not with an object initialiser.
            var options = new CsvReaderOptions()
                .Set(nameof(CsvReaderOptions.Separator), (char?)',')
                .Set(nameof(CsvReaderOptions.HasHeader), false)            // the header is optional: recognised below by its cell names
                .Set(nameof(CsvReaderOptions.Mode), CsvMode.Rfc4180)
                .Set(nameof(CsvReaderOptions.CommentPrefix), (char?)';')
                .Set(nameof(CsvReaderOptions.SkipEmptyLines), true)
                .Set(nameof(CsvReaderOptions.TrackLineNumbers), true)      // problems are reported by the line a person sees in an editor
                .Set(nameof(CsvReaderOptions.MalformedData), CsvMalformedDataHandling.Skip)
                .Set(nameof(CsvReaderOptions.FieldCountMismatch), CsvFieldCountHandling.Allow)
                .Set(nameof(CsvReaderOptions.IncludeValuesInExceptions), false) // a cell may be a password
                .Set(nameof(CsvReaderOptions.MaxRecordSize), (int?)MaxLineBytes)
                // Malformed lines are skipped by the parser and reported here, with the line they start on.
                .Set(nameof(CsvReaderOptions.OnMalformedRecord), (Action<CsvMalformedRecord>)(bad => problems.Add(MalformedLine(bad))));

            using (var parser = CsvReader.Create(reader, options, leaveOpen: true))
            {
                while (true)
                {
                    int lineNumber;
                    string[] record;
                    try
                    {
                        if (!parser.Read()) break;
                        lineNumber = (int)Math.Min(int.MaxValue, Math.Max(1, parser.LineNumber));
                        record = new string[parser.FieldCount];
                        for (int i = 0; i < record.Length; i++) record[i] = parser.GetString(i);
                    }
                    catch (CsvFormatException e)
                    {
                        // The parser cannot continue past this point (a line longer than the cap).
                        int line = (int)Math.Min(int.MaxValue, Math.Max(1, e.LineNumber));
                        problems.Add(new DeviceImportProblem(line, DeviceImportProblemKind.BadLine,
                            $"The rest of the file cannot be read from this line on: a line is longer than {MaxLineBytes / 1024} KiB (a quoted field that is never closed?).", null));
                        break;
                    }
                    if (record.All(string.IsNullOrWhiteSpace)) continue; // a line of empty cells: blank

                    if (hasHeader == null)
                    {
                        var mapped = record.Select(DeviceInput.FieldForHeader).ToArray();
                        hasHeader = mapped.Any(f => f != null);
                        if (hasHeader == true)
                        {
                            var headerProblem = CheckHeader(record, mapped, warnings);
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

                    var row = ReadRow(record, columns, lineNumber, hasHeader == true, problems);
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
            }

            // The parser reports malformed lines as it scans ahead, so put every problem in file order.
            var ordered = problems.OrderBy(p => p.LineNumber).ToList();
            _logger.LogInformation("Read device file {Source}: {Good} valid line(s), {Bad} bad line(s){Secrets}.", source, rows.Count, ordered.Count,
                containsPasswords ? ", with plaintext passwords (now protected)" : "");
            return new DeviceCsvReadResult(source, rows, ordered, warnings, hasHeader == true, columns, containsPasswords);
        }

        /// <summary>A line the parser skipped for its quoting; the raw text is never shown (it may hold a password).</summary>
        private static DeviceImportProblem MalformedLine(CsvMalformedRecord bad)
        {
            int line = (int)Math.Min(int.MaxValue, Math.Max(1, bad.LineNumber));
            var reason = bad.Reason == CsvMalformedReason.UnterminatedQuote
                ? "A quoted field on this line is never closed, so the rest of the file cannot be read as comma-separated text. Close the quote (and double any quote inside the field)."
                : "The line is not valid comma-separated text: a quote (\") appears inside a field that is not quoted. Put the whole field in quotes and double the quote inside it.";
            return new DeviceImportProblem(line, DeviceImportProblemKind.BadLine, reason, null);
        }

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
