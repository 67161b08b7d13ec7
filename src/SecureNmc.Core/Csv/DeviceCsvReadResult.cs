using System.Collections.Generic;

namespace SecureNmc.Core.Csv
{
    /// <summary>What a device file holds: the good lines as devices, the bad lines as problems.</summary>
    public sealed class DeviceCsvReadResult
    {
        internal DeviceCsvReadResult(string source, IReadOnlyList<DeviceImportRow> rows, IReadOnlyList<DeviceImportProblem> problems,
            IReadOnlyList<string> warnings, bool hasHeader, IReadOnlyList<string> columns, bool containsPlaintextPasswords)
        {
            Source = source;
            Rows = rows;
            Problems = problems;
            Warnings = warnings;
            HasHeader = hasHeader;
            Columns = columns;
            ContainsPlaintextPasswords = containsPlaintextPasswords;
        }

        /// <summary>The file path (or a description of the reader).</summary>
        public string Source { get; }

        public IReadOnlyList<DeviceImportRow> Rows { get; }
        public IReadOnlyList<DeviceImportProblem> Problems { get; }

        /// <summary>File-level and per-line warnings ("line 4: port 2222 is outside...", unused columns).</summary>
        public IReadOnlyList<string> Warnings { get; }

        public bool HasHeader { get; }

        /// <summary>The device field each column was read as ("Host", "Port"... or "" for an unused column).</summary>
        public IReadOnlyList<string> Columns { get; }

        /// <summary>
        /// True when any line carried a password. The passwords are already protected in the devices;
        /// the cmdlet should warn that the file itself still holds them in plaintext.
        /// </summary>
        public bool ContainsPlaintextPasswords { get; }
    }
}
