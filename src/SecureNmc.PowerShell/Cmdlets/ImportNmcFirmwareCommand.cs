using System;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using SecureNmc.Core.Firmware;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Adds downloaded .nmc3 packages to the firmware library (identified by file name and SHA-256).</summary>
    [Cmdlet(VerbsData.Import, "NmcFirmware", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FirmwarePackage))]
    public sealed class ImportNmcFirmwareCommand : NmcCmdlet
    {
        /// <summary>Files to import; wildcards allowed; `Get-ChildItem *.nmc3 | Import-NmcFirmware` binds FullName.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [SupportsWildcards]
        public string[] Path { get; set; } = new string[0];

        private FirmwareLibrary? _library;

        protected override void ProcessRecord()
        {
            _library ??= UsingStore(() => new FirmwareServices(Services, LoggerFactory).CreateLibrary());
            foreach (var argument in Path)
            {
                Collection<string> files;
                try
                {
                    files = GetResolvedProviderPathFromPSPath(argument, out var provider);
                    if (provider.Name != "FileSystem") throw new ArgumentException($"'{argument}' is not a file system path.");
                }
                catch (Exception ex) when (ex is ItemNotFoundException || ex is ArgumentException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException)
                {
                    WriteTargetError("FirmwareFileNotFound", ErrorCategory.ObjectNotFound, argument, $"Cannot import '{argument}': {ex.Message}",
                        "Give the path of a downloaded .nmc3 file, for example apc_hw21_su_2.5.0.6.nmc3.");
                    continue;
                }
                foreach (var file in files) ImportOne(file);
            }
        }

        private void ImportOne(string file)
        {
            if (!ShouldProcess(file, $"Import into the firmware library ({_library!.CacheFolder})")) return;
            try
            {
                var package = _library.Import(file);
                DrainLog();
                WriteObject(package);
            }
            catch (FirmwareIntegrityException ex)
            {
                WriteTargetError("FirmwareConflict", ErrorCategory.InvalidData, file, ex.Message,
                    "Download the package again from the vendor; if the library's copy is the bad one, run Clear-NmcFirmwareCache first.", ex);
            }
            catch (InvalidDataException ex)
            {
                WriteTargetError("FirmwareNameNotRecognized", ErrorCategory.InvalidArgument, file, ex.Message,
                    "Import the file under its original vendor name (apc_hw<hardware>_<app>_<version>.nmc3).", ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteTargetError("FirmwareImportFailed", ErrorCategory.ReadError, file, $"Cannot import '{file}': {ex.Message}", null, ex);
            }
        }
    }
}
