using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Removes devices (and their stored credentials) from the inventory; the cards are not touched.</summary>
    [Cmdlet(VerbsCommon.Remove, "NmcDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NmcDevice))]
    public sealed class RemoveNmcDeviceCommand : NmcCmdlet
    {
        private DeviceArguments? _arguments;
        private readonly List<NmcDevice> _confirmed = new List<NmcDevice>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[] Device { get; set; } = new NmcDevicePipeBind[0];

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            var targets = new List<NmcDevice>();
            foreach (var argument in Device)
                targets.AddRange(ResolveOrReport(_arguments, argument, "Check the name with Get-NmcDevice."));
            if (targets.Count == 0) return;
            if (ShouldProcessTargets(targets.Select(DeviceParameters.Describe).ToList(), "Remove from the SecureNmc inventory"))
                _confirmed.AddRange(targets);
        }

        /// <summary>One locked write for the whole pipeline.</summary>
        protected override void EndProcessing()
        {
            if (_confirmed.Count > 0)
            {
                var result = UsingStore(() => Services.Inventory.Remove(_confirmed.Select(t => t.Id)));
                foreach (var id in result.NotFound)
                {
                    var device = _confirmed.Find(t => t.Id == id);
                    WriteTargetError("DeviceNotFound", ErrorCategory.ObjectNotFound, device,
                        $"Device '{device.DisplayName}' was no longer in the inventory (removed by another session?).");
                }
                // From the records the locked write removed, not the earlier read: a card handed over by
                // another session meanwhile is warned about, one removed meanwhile is not.
                foreach (var removed in result.Removed.Where(d => d.IsInFlight))
                    WriteWarning(DeviceHandOver.RemovalWarning(removed));
                WriteVerbose($"Removed {result.Removed.Count} device(s) from {Services.Inventory.FilePath}.");
                if (PassThru) WriteObject(result.Removed, enumerateCollection: true);
            }
            base.EndProcessing();
        }
    }
}
