using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.PowerShell.Infrastructure;
using SecureNmc.Simulator.Firmware;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Writes simulator test packages (.nmc3) into a folder, one per distinct application type, and
    /// returns the files so they pipe into Import-NmcFirmware. Devices and simulated cards bind their
    /// ApplicationType by property name: `Get-NmcDevice | New-NmcSimulatorFirmware -Path $d -Version 2.9.0.2`.
    /// Only simulated cards accept these packages; real cards refuse them.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "NmcSimulatorFirmware", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class NewNmcSimulatorFirmwareCommand : NmcCmdlet
    {
        private SimulatorFirmwareRequest? _request;
        private readonly HashSet<ApplicationType> _written = new HashSet<ApplicationType>();
        private bool _sawType;

        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The existing folder the packages are written to.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        public string Path { get; set; } = "";

        /// <summary>The folder taken exactly as written ([ ] are part of the name).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        public string LiteralPath { get; set; } = "";

        /// <summary>Application types (SU, RPDU2G...); devices and simulated cards bind theirs by property name.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString, AllowEmptyCollection]
        [ArgumentCompleter(typeof(ApplicationTypeCompleter))]
        public string?[]? ApplicationType { get; set; }

        /// <summary>The application version of the packages, such as 2.9.0.2.</summary>
        [Parameter(Mandatory = true)]
        public string Version { get; set; } = "";

        /// <summary>The AOS version the packages carry (default: -Version).</summary>
        [Parameter]
        public string? AosVersion { get; set; }

        /// <summary>A bootloader version the packages carry (default: none).</summary>
        [Parameter]
        public string? BootloaderVersion { get; set; }

        /// <summary>The hardware code (default hw21, NMC3).</summary>
        [Parameter]
        public string Hardware { get; set; } = Core.CardFiles.NmcGenerationRules.Nmc3HardwareCode;

        /// <summary>Replaces a different file of the same name.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var literal = ParameterSetName == LiteralPathSet;
            _request = new SimulatorFirmwareRequest
            {
                Folder = FilePaths.ResolveTarget(literal ? LiteralPath : Path, literal, "firmware folder", ThrowTerminatingError)!,
                ApplicationVersion = Version,
                AosVersion = AosVersion,
                BootloaderVersion = BootloaderVersion,
                HardwareCode = Hardware,
            };
            var problems = _request.Validate();
            if (problems.Count > 0)
                ThrowCommandError("InvalidSimulatorFirmware", ErrorCategory.InvalidArgument, _request.Folder, string.Join(" ", problems));
        }

        protected override void ProcessRecord()
        {
            if (ApplicationType == null && !MyInvocation.ExpectingInput) return; // nothing named: EndProcessing says so
            // A piped device that was never queried binds a null type: reported like a bad type.
            var types = ApplicationType != null && ApplicationType.Length > 0 ? ApplicationType : new string?[] { null };
            foreach (var text in types)
            {
                _sawType = true;
                if (!SimulatorFirmwareRequest.TryParseApplicationType(text, out var type, out var problem))
                {
                    WriteTargetError("InvalidApplicationType", ErrorCategory.InvalidArgument, text, problem!);
                    continue;
                }
                if (!_written.Add(type)) continue; // one package per distinct type
                WriteOne(type);
            }
        }

        private void WriteOne(ApplicationType type)
        {
            var path = _request!.PathFor(type);
            if (!ShouldProcess(path, $"Write a simulator test package ({type}, version {Version})")) return;
            try
            {
                var written = _request.Write(type, Force);
                WriteVerbose(written.AlreadyPresent ? $"{written.Path} already holds this package." : $"Wrote {written.Path}.");
                WriteObject(FileItem(written.Path));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteTargetError("SimulatorFirmwareNotWritten", ErrorCategory.WriteError, path, $"Cannot write '{path}': {ex.Message}", null, ex);
            }
        }

        /// <summary>
        /// The file as Get-ChildItem returns it: a FileInfo with the provider's notes (PSPath, and on Unix
        /// the mode/owner/size the default view shows), so it formats and pipes like any file.
        /// </summary>
        private object FileItem(string path)
        {
            var items = InvokeProvider.Item.Get(new[] { path }, false, true);
            return items.Count == 1 ? items[0] : (object)new FileInfo(path);
        }

        protected override void EndProcessing()
        {
            if (!_sawType)
                ThrowCommandError("NoApplicationType", ErrorCategory.InvalidArgument, null,
                    "No application type given: name one or more with -ApplicationType (SU, RPDU2G, ...), or pipe devices or simulated cards (Get-NmcDevice | New-NmcSimulatorFirmware ...).");
            base.EndProcessing();
        }
    }
}
