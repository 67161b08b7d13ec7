using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Csv;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Security;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Imports the SNS Tool's bulk device file (devices.csv). Good lines are added; every bad line
    /// is a non-terminating error with its line number and reason. Passwords in the file are
    /// encrypted at once and the user is warned that the file itself holds them in plain text.
    /// </summary>
    [Cmdlet(VerbsData.Import, "NmcDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(NmcDevice))]
    public sealed class ImportNmcDeviceCommand : NmcCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>Device files; wildcards expand, relative to the current PowerShell location.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = new string[0];

        /// <summary>Device files taken exactly as written; `Get-ChildItem | Import-NmcDevice` binds PSPath here.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = new string[0];

        /// <summary>Stored for lines that carry no password of their own.</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var literal = ParameterSetName == LiteralPathSet;
            foreach (var argument in literal ? LiteralPath : Path)
                foreach (var file in FilePaths.ResolveExisting(argument, literal, "device file", WriteError))
                    ImportFile(file);
        }

        private void ImportFile(string file)
        {
            var fileName = System.IO.Path.GetFileName(file);
            // The data folder and its key first (a problem there stops the command), then the file
            // (a problem there is about this file only).
            var protector = UsingStore(() => Services.CredentialProtector);
            DeviceCsvReadResult read;
            try { read = new DeviceCsvReader(protector, CreateLogger("SecureNmc.Csv")).ReadFile(file); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteTargetError("FileUnreadable", ErrorCategory.ReadError, file, $"Cannot read the device file: {ex.Message}");
                return;
            }
            catch (CredentialProtectionException ex)
            {
                ThrowCommandError("CredentialProtectionFailed", ErrorCategory.SecurityError, file, ex.Message, null, ex);
                return;
            }
            DrainLog();

            if (read.ContainsPlaintextPasswords)
                WriteWarning($"{file} holds passwords in plain text. They are encrypted in the inventory now; delete the file, or remove the passwords from it, or keep it encrypted and access-controlled.");
            foreach (var warning in read.Warnings) WriteWarning($"{fileName}: {warning}");
            foreach (var row in read.Rows)
                foreach (var warning in row.Warnings) WriteWarning($"{fileName} line {row.LineNumber}: {warning}");

            if (Credential != null)
                foreach (var row in read.Rows.Where(r => !r.Device.HasStoredCredential))
                    Services.CredentialProtector.SetCredential(row.Device, row.Device.UserName ?? Credential.UserName, Credential.Password);

            var names = read.Rows.Select(r => DeviceParameters.Describe(r.Device)).ToList();
            if (read.Rows.Count == 0 || !ShouldProcessTargets(names, $"Add to the SecureNmc inventory from {fileName}"))
            {
                // Bad lines are facts about the file: reported even under -WhatIf.
                ReportProblems(file, read.Problems);
                return;
            }
            var report = UsingStore(() => new DeviceFileImporter(Services.Inventory, Services.CredentialProtector, CreateLogger("SecureNmc.Import")).AddToInventory(read));
            ReportProblems(file, report.Problems); // bad lines and duplicates, in line order
            WriteVerbose($"{fileName}: {report.Added.Count} device(s) added, {report.Problems.Count} line(s) not imported.");
            if (PassThru) WriteObject(report.Added, enumerateCollection: true);
        }

        private void ReportProblems(string file, System.Collections.Generic.IEnumerable<DeviceImportProblem> problems)
        {
            var fileName = System.IO.Path.GetFileName(file);
            foreach (var problem in problems)
            {
                var duplicate = problem.Kind == DeviceImportProblemKind.Duplicate;
                WriteTargetError(
                    duplicate ? "DeviceAlreadyExists" : "InvalidDeviceLine",
                    duplicate ? ErrorCategory.ResourceExists : ErrorCategory.InvalidData,
                    $"{file}:{problem.LineNumber}",
                    $"{fileName} line {problem.LineNumber}: {problem.Reason}",
                    duplicate ? "The device is already in the inventory; use Set-NmcDevice to change it." : "Correct the line and import the file again; lines already imported are reported as duplicates, not added twice.");
            }
        }
    }
}
