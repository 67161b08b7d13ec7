using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Air-gapped activation, step 1: writes a request file for the selected cards (with or without
    /// Activation IDs) to carry to an internet-facing machine. No sign-in needed; the file holds card
    /// serials, MAC addresses, application types and Activation IDs only.
    /// </summary>
    [Cmdlet(VerbsData.Export, "NmcActivationRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(OfflineRequestSummary))]
    public sealed class ExportNmcActivationRequestCommand : NmcLicensingCmdlet
    {
        private DeviceArguments? _arguments;
        private readonly List<ActivationRequest> _requests = new List<ActivationRequest>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[] Device { get; set; } = new NmcDevicePipeBind[0];

        /// <summary>The Activation ID for the device of this argument; omitted = ask for its included subscription.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidatePattern("^\\s*([A-Za-z0-9][A-Za-z0-9-]{0,63})?\\s*$")]
        public string? ActivationId { get; set; }

        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The request file to write, from the current PowerShell location; wildcard characters must match one existing file.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [Alias("FilePath")]
        public string Path { get; set; } = "";

        /// <summary>The request file to write, taken exactly as written ([ ] are part of the name).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        public string LiteralPath { get; set; } = "";

        protected override void ProcessRecord()
        {
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            var devices = ResolveDevices(_arguments, Device);
            var id = string.IsNullOrWhiteSpace(ActivationId) ? null : ActivationId!.Trim().ToUpperInvariant();
            if (id != null && devices.Count > 1)
            {
                foreach (var device in devices)
                    WriteCardError(LicensingErrorCode.InvalidRequest, device,
                        $"{device.DisplayName}: Activation ID {id} licenses one card, but this argument names {devices.Count} devices. Give one device per Activation ID.");
                return;
            }
            _requests.AddRange(devices.Select(d => new ActivationRequest(d, id)));
        }

        protected override void EndProcessing()
        {
            if (_requests.Count > 0)
            {
                var literal = ParameterSetName == LiteralPathSet;
                var path = FilePaths.ResolveTarget(literal ? LiteralPath : Path, literal, "request file", ThrowTerminatingError)!;
                var withIds = _requests.Count(r => r.ActivationId != null);
                var action = $"Write an activation request for {_requests.Count} card(s) ({withIds} with an Activation ID, {_requests.Count - withIds} asking for the included subscription)";
                if (ShouldProcess(path, action))
                {
                    var manager = Manager;
                    var summary = CallLicensing(() => manager.ExportActivationRequest(_requests, path));
                    foreach (var skipped in summary.Skipped)
                    {
                        var device = _requests.FirstOrDefault(r => r.Device.Id == skipped.DeviceId)?.Device;
                        WriteCardError(skipped.ErrorCode, (object?)device ?? skipped.CardSerial, skipped.Message);
                    }
                    WriteVerbose($"Wrote activation request {summary.RequestId} with {summary.Entries} card(s) to {summary.Path}. Carry it to a machine with internet access and run Submit-NmcActivationRequest there.");
                    WriteObject(summary);
                }
            }
            base.EndProcessing();
        }
    }
}
