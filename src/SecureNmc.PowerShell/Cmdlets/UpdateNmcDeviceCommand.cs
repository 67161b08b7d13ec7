using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Query;
using SecureNmc.Core.Security;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// The SNS Tool's "Refresh Details": queries inventory devices (one, a selection, or all when
    /// none is named) concurrently within the ConcurrentRequests setting and saves what each card
    /// said: its facts, the status and the specific reason.
    /// </summary>
    [Cmdlet(VerbsData.Update, "NmcDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(NmcDevice))]
    public sealed class UpdateNmcDeviceCommand : NmcQueryCmdlet
    {
        private DeviceArguments? _arguments;
        private readonly List<NmcDevice> _selected = new List<NmcDevice>();
        private bool _deviceGiven;

        [Parameter(Position = 0, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[]? Device { get; set; }

        /// <summary>Used for this refresh instead of the stored credential (not saved; Set-NmcDevice stores one).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (Device == null) return;
            _deviceGiven = true;
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            foreach (var argument in Device)
            {
                var matches = ResolveOrReport(_arguments, argument, "Add it with Add-NmcDevice first, or check the name with Get-NmcDevice.");
                _selected.AddRange(matches);
            }
        }

        protected override void EndProcessing()
        {
            // No -Device and no pipeline: the whole inventory, like selecting every row in the SNS Tool.
            // An empty pipeline (Get-NmcDevice matched nothing) refreshes nothing.
            var wholeInventory = !_deviceGiven && !MyInvocation.ExpectingInput;
            if (wholeInventory) _selected.AddRange(UsingStore(() => Services.Inventory.GetAll()));
            // A card in flight is refused, not queried: the worker may be flashing it (a card takes one
            // session at a time), and storing what was read here would make its results a conflict.
            var selected = LeaveOutInFlight(_selected, wholeInventory, "query");
            var names = new List<string>();
            foreach (var d in selected) names.Add(d.DisplayName);
            if (selected.Count > 0 && ShouldProcessTargets(names, "Query the card and save its details"))
                Refresh(selected);
            base.EndProcessing();
        }

        private void Refresh(List<NmcDevice> devices)
        {
            var credentials = new Dictionary<NmcDevice, NetworkCredential?>();
            var overriding = Credential != null && Credential != PSCredential.Empty ? Credential.GetNetworkCredential() : null;
            foreach (var device in devices)
                credentials[device] = overriding ?? UsingStore(() => Services.CredentialProtector.GetCredential(device));

            var results = QueryDevices(devices, credentials, "Refreshing device details");
            var removed = new List<NmcDevice>();
            var saved = UsingStore(() => Services.Inventory.Transact(tx =>
            {
                var list = new List<NmcDevice>();
                foreach (var result in results)
                {
                    if (tx.FindById(result.Device.Id) == null) { removed.Add(result.Device); continue; }
                    list.Add(tx.Update(result.Device.Id, stored => QueriedFacts.CopyTo(result.Device, stored)).Clone());
                }
                return list;
            }));

            foreach (var device in removed)
                WriteTargetError("DeviceNotFound", ErrorCategory.ObjectNotFound, device,
                    $"Device '{device.DisplayName}' was removed from the inventory while it was being queried; its details were not saved.");
            foreach (var result in results)
            {
                if (result.Succeeded) continue;
                if (result.Outcome == DeviceQueryOutcome.NotSupported)
                    WriteWarning($"{DeviceParameters.Describe(result.Device)}: {Explain(result)}");
                else
                    WriteTargetError("DeviceQueryFailed", CategoryOf(result.Outcome), result.Device,
                        $"Device {DeviceParameters.Describe(result.Device)}: {Explain(result)}",
                        "The status and reason are saved on the device; correct the problem and run Update-NmcDevice again.");
            }
            WriteVerbose($"Refreshed {saved.Count} device(s) in {Services.Inventory.FilePath}.");
            if (PassThru) WriteObject(saved, enumerateCollection: true);
        }
    }
}
