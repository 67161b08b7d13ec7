using System.Collections.Generic;

namespace SecureNmc.Core.Csv
{
    public enum DeviceImportProblemKind
    {
        /// <summary>The host is not a valid IPv4 address or host name.</summary>
        BadAddress,
        BadPort,
        UnknownProtocol,
        /// <summary>Name or user name/password problem.</summary>
        BadField,
        /// <summary>The line is not valid comma-separated text (stray quote, too many fields, semicolons).</summary>
        BadLine,
        /// <summary>Same host and port as a device already in the inventory or earlier in the file.</summary>
        Duplicate,
    }

    /// <summary>One line of a device file that was not imported, and why.</summary>
    public sealed class DeviceImportProblem
    {
        public DeviceImportProblem(int lineNumber, DeviceImportProblemKind kind, string reason, string? host)
        {
            LineNumber = lineNumber;
            Kind = kind;
            Reason = reason;
            Host = host;
        }

        /// <summary>1-based line in the file (as an editor shows it).</summary>
        public int LineNumber { get; }

        public DeviceImportProblemKind Kind { get; }

        /// <summary>Why, in words a user can act on. Never contains a password.</summary>
        public string Reason { get; }

        /// <summary>The host cell as written (may be invalid), for the error's target.</summary>
        public string? Host { get; }

        public override string ToString() => $"Line {LineNumber}: {Reason}";
    }

    /// <summary>A valid line of a device file, turned into a device (password already protected).</summary>
    public sealed class DeviceImportRow
    {
        public DeviceImportRow(int lineNumber, Devices.NmcDevice device, IReadOnlyList<string> warnings)
        {
            LineNumber = lineNumber;
            Device = device;
            Warnings = warnings;
        }

        public int LineNumber { get; }
        public Devices.NmcDevice Device { get; }
        public IReadOnlyList<string> Warnings { get; }
    }
}
