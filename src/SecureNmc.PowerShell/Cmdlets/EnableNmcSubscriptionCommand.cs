using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Activates a purchased subscription (-ActivationId) on a card, or retrieves a card's included
    /// subscription (no -ActivationId). Many cards in one call: pipe devices, or objects with Name and
    /// ActivationId columns (Import-Csv); every card gets its own result or error.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Enable, "NmcSubscription", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ActivationOutcome))]
    public sealed class EnableNmcSubscriptionCommand : NmcLicensingCmdlet
    {
        private DeviceArguments? _arguments;
        private readonly List<ActivationRequest> _requests = new List<ActivationRequest>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[] Device { get; set; } = new NmcDevicePipeBind[0];

        /// <summary>The purchased subscription's Activation ID; omitted = retrieve the included subscription.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern("^\\s*([A-Za-z0-9][A-Za-z0-9-]{0,63})?\\s*$")]
        public string? ActivationId { get; set; }

        protected override void ProcessRecord()
        {
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            var devices = ResolveDevices(_arguments, Device);
            var id = string.IsNullOrWhiteSpace(ActivationId) ? null : ActivationId!.Trim().ToUpperInvariant();
            if (id != null && devices.Count > 1)
            {
                // An Activation ID licenses exactly one card: never guess which of several it was meant for.
                foreach (var device in devices)
                    WriteCardError(LicensingErrorCode.InvalidRequest, device,
                        $"{device.DisplayName}: Activation ID {id} licenses one card, but this argument names {devices.Count} devices ({ConfirmationText.Targets(devices.Select(d => d.DisplayName).ToList())}). Give one device per Activation ID (for example with Import-Csv and Name, ActivationId columns).");
                return;
            }
            var manager = Manager;
            foreach (var device in devices)
            {
                var description = CallLicensing(() => manager.DescribeActivation(device, id));
                if (ShouldProcess(device.DisplayName, description))
                    _requests.Add(new ActivationRequest(device, id));
            }
        }

        protected override void EndProcessing()
        {
            if (_requests.Count > 0)
            {
                var manager = Manager;
                var outcomes = CallLicensingAsync((progress, cancellation) => manager.ActivateAsync(_requests, progress, cancellation));
                for (int i = 0; i < outcomes.Count; i++)
                {
                    var outcome = outcomes[i];
                    if (outcome.Succeeded)
                    {
                        WriteVerbose(outcome.Message);
                        if (outcome.Subscription?.Warning != null) WriteWarning($"{_requests[i].Device.DisplayName}: {outcome.Subscription.Warning}");
                    }
                    else WriteCardError(outcome.ErrorCode, _requests[i].Device, outcome.Message);
                    WriteObject(outcome);
                }
            }
            base.EndProcessing();
        }
    }
}
