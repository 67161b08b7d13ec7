using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Security;

namespace SecureNmc.Core.Csv
{
    /// <summary>What Import-NmcDevice did with one file.</summary>
    public sealed class DeviceImportReport
    {
        internal DeviceImportReport(string source, IReadOnlyList<NmcDevice> added, IReadOnlyList<DeviceImportProblem> problems, IReadOnlyList<string> warnings, bool containsPlaintextPasswords)
        {
            Source = source;
            Added = added;
            Problems = problems;
            Warnings = warnings;
            ContainsPlaintextPasswords = containsPlaintextPasswords;
        }

        public string Source { get; }

        /// <summary>The devices now in the inventory, in file order.</summary>
        public IReadOnlyList<NmcDevice> Added { get; }

        /// <summary>Every line not imported (bad address, port, protocol, line format, duplicate), in line order.</summary>
        public IReadOnlyList<DeviceImportProblem> Problems { get; }

        public IReadOnlyList<string> Warnings { get; }

        /// <summary>The file held passwords in plaintext: warn the user to delete or protect it.</summary>
        public bool ContainsPlaintextPasswords { get; }
    }

    /// <summary>Reads a device file and adds its good lines to the inventory in one transaction.</summary>
    public sealed class DeviceFileImporter
    {
        private readonly DeviceCsvReader _reader;
        private readonly DeviceInventory _inventory;
        private readonly ILogger _logger;

        public DeviceFileImporter(DeviceInventory inventory, ICredentialProtector protector, ILogger? logger = null)
        {
            _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
            _logger = logger ?? NullLogger.Instance;
            _reader = new DeviceCsvReader(protector, _logger);
        }

        public DeviceImportReport Import(string path) => AddToInventory(_reader.ReadFile(path));

        /// <summary>Adds what <see cref="DeviceCsvReader"/> read (lets a cmdlet show -WhatIf from the read result first).</summary>
        public DeviceImportReport AddToInventory(DeviceCsvReadResult read)
        {
            var problems = new List<DeviceImportProblem>(read.Problems);
            var added = new List<NmcDevice>();
            if (read.Rows.Count > 0)
            {
                var result = _inventory.Add(read.Rows.Select(r => r.Device));
                added.AddRange(result.Added);
                foreach (var duplicate in result.Duplicates)
                {
                    var row = read.Rows[duplicate.InputIndex];
                    problems.Add(new DeviceImportProblem(row.LineNumber, DeviceImportProblemKind.Duplicate, duplicate.Message, row.Device.Host));
                }
            }
            problems = problems.OrderBy(p => p.LineNumber).ToList(); // stable: keeps a line's problems in order
            _logger.LogInformation("Imported {Added} device(s) from {Source}; {Problems} line(s) not imported.", added.Count, read.Source, problems.Count);
            return new DeviceImportReport(read.Source, added, problems, read.Warnings, read.ContainsPlaintextPasswords);
        }
    }
}
