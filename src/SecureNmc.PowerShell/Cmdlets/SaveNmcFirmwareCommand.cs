using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Updates;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// The seed's Download Only: writes the firmware files the selected devices need (intermediate
    /// steps included, each once, verified) to a folder. Nothing touches a card.
    /// </summary>
    [Cmdlet(VerbsData.Save, "NmcFirmware", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(SavedFirmware))]
    public sealed class SaveNmcFirmwareCommand : NmcCmdlet
    {
        private DeviceArguments? _arguments;
        private readonly List<NmcDevice> _devices = new List<NmcDevice>();

        /// <summary>The devices whose firmware to save; none = every device in the inventory.</summary>
        [Parameter(Position = 1, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[]? Device { get; set; }

        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The folder to write the files to (created if missing), from the current PowerShell location.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        public string Path { get; set; } = "";

        /// <summary>The folder taken exactly as written ([ ] are part of the name).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        public string LiteralPath { get; set; } = "";

        /// <summary>Target version instead of the latest.</summary>
        [Parameter]
        public string? Version { get; set; }

        protected override void ProcessRecord()
        {
            if (Device == null) return;
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            foreach (var argument in Device)
                _devices.AddRange(ResolveOrReport(_arguments, argument, "Check the name with Get-NmcDevice."));
        }

        protected override void EndProcessing()
        {
            var literal = ParameterSetName == LiteralPathSet;
            var folder = FilePaths.ResolveTarget(literal ? LiteralPath : Path, literal, "firmware folder", ThrowTerminatingError)!;
            var devices = _arguments == null ? UsingStore(() => Services.Inventory.GetAll()).ToList() : _devices;
            var firmware = new FirmwareServices(Services, LoggerFactory);
            var library = UsingStore(() => firmware.CreateLibrary());
            var planner = UsingStore(() => firmware.CreatePlanner(library, out _));
            var options = firmware.PlanOptions();
            if (Version != null)
            {
                if (!FirmwareVersion.TryParse(Version, out var version))
                    ThrowCommandError("InvalidVersion", ErrorCategory.InvalidArgument, Version, UpdateParameters.NotAVersion(Version));
                options.TargetVersion = version;
            }
            var plans = planner.PlanAll(devices, options);
            foreach (var plan in plans.Where(p => !p.IsActionable && p.Decision != PlanDecision.NoUpdateNeeded))
                WriteWarning($"{plan.DeviceName}: {plan.Status.ToText()}" + (plan.Reason != null ? $": {plan.Reason}" : "") + " (nothing saved for it)");
            var needed = FirmwareDownloadOnly.Needed(plans);
            if (needed.Count == 0)
            {
                WriteVerbose("No device needs a firmware file: nothing to save.");
            }
            else if (ShouldProcess(folder, $"Save {needed.Count} firmware file(s): {ConfirmationText.Targets(needed.Select(n => n.FileName))}"))
            {
                var saved = WaitForCore(FirmwareDownloadOnly.SaveAsync(library, plans, folder, null, CancellationToken));
                foreach (var item in saved)
                {
                    WriteObject(item);
                    if (item.Status != DeviceStatus.DownloadComplete)
                        WriteTargetError("FirmwareNotSaved", ErrorCategory.WriteError, item.FileName, $"{item.FileName}: {item.Status.ToText()}: {item.Error}",
                            "Import the file with Import-NmcFirmware or refresh the catalog with Get-NmcFirmware -Refresh, then save again.");
                }
            }
            base.EndProcessing();
        }
    }
}
