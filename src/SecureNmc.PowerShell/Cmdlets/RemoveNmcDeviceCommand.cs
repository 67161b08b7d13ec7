using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Removes devices (and their stored credentials) from the inventory; the cards are not touched.</summary>
    [Cmdlet(VerbsCommon.Remove, "NmcDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NmcDevice))]
    public sealed class RemoveNmcDeviceCommand : NmcCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[] Device { get; set; } = new NmcDevicePipeBind[0];

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var inventory = UsingStore(() => Services.Inventory.GetAll());
            var targets = new List<NmcDevice>();
            var seen = new HashSet<System.Guid>();
            foreach (var argument in Device)
            {
                var matches = argument.Resolve(inventory);
                if (matches.Count == 0 && !argument.IsPattern)
                    WriteTargetError("DeviceNotFound", ErrorCategory.ObjectNotFound, argument.Device ?? (object)argument.ToString(),
                        $"Device '{argument}' is not in the inventory.", "Check the name with Get-NmcDevice.");
                targets.AddRange(matches.Where(m => seen.Add(m.Id)));
            }
            if (targets.Count == 0) return;
            if (!ShouldProcessTargets(targets.Select(DeviceParameters.Describe).ToList(), "Remove from the SecureNmc inventory")) return;

            var result = UsingStore(() => Services.Inventory.Remove(targets.Select(t => t.Id)));
            foreach (var id in result.NotFound)
            {
                var device = targets.Find(t => t.Id == id);
                WriteTargetError("DeviceNotFound", ErrorCategory.ObjectNotFound, device, $"Device '{device.DisplayName}' was already removed (by another session?).");
            }
            if (PassThru) WriteObject(result.Removed, enumerateCollection: true);
        }
    }
}
