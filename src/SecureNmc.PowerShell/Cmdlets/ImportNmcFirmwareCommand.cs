using System;
using System.IO;
using System.Management.Automation;
using SecureNmc.Core.Firmware;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Adds downloaded .nmc3 packages to the firmware library (identified by file name and SHA-256).</summary>
    [Cmdlet(VerbsData.Import, "NmcFirmware", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FirmwarePackage))]
    public sealed class ImportNmcFirmwareCommand : NmcCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>Files to import; wildcards expand, relative to the current PowerShell location.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = new string[0];

        /// <summary>Files taken exactly as written; `Get-ChildItem *.nmc3 | Import-NmcFirmware` binds PSPath here.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = new string[0];

        private FirmwareLibrary? _library;

        protected override void ProcessRecord()
        {
            var literal = ParameterSetName == LiteralPathSet;
            foreach (var argument in literal ? LiteralPath : Path)
            {
                var files = FilePaths.ResolveExisting(argument, literal, "firmware file", WriteError);
                if (files.Count == 0) continue;
                _library ??= UsingStore(() => new FirmwareServices(Services, LoggerFactory).CreateLibrary());
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
            catch (FirmwareFileRefusedException ex)
            {
                WriteTargetError("FirmwareFileRefused", ErrorCategory.InvalidData, file, ex.Message,
                    "Import the .nmc3 file downloaded from the vendor itself: not a link, pipe or device, and not another kind of file renamed.", ex);
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
