using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>The SNS Tool's "Edit": name, credential, protocol and port of inventory devices.</summary>
    [Cmdlet(VerbsCommon.Set, "NmcDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NmcDevice))]
    public sealed class SetNmcDeviceCommand : NmcCmdlet
    {
        private DeviceEdit _edit = new DeviceEdit();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[] Device { get; set; } = new NmcDevicePipeBind[0];

        [Parameter]
        public string? NewName { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(ProtocolCompleter))]
        public string? Protocol { get; set; }

        [Parameter]
        public int? Port { get; set; }

        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        public SwitchParameter ClearCredential { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _edit = new DeviceEdit
            {
                NewName = NewName,
                Protocol = Protocol,
                Port = Port,
                UserName = Credential?.UserName,
                Password = Credential?.Password,
                ClearCredential = ClearCredential,
            };
            var errors = _edit.Validate();
            if (errors.Count > 0)
                ThrowCommandError("InvalidEdit", ErrorCategory.InvalidArgument, null, string.Join(" ", errors));
        }

        protected override void ProcessRecord()
        {
            var inventory = UsingStore(() => Services.Inventory.GetAll());
            foreach (var argument in Device)
            {
                var matches = argument.Resolve(inventory);
                if (matches.Count == 0 && !argument.IsPattern)
                    WriteTargetError("DeviceNotFound", ErrorCategory.ObjectNotFound, argument.Device ?? (object)argument.ToString(),
                        $"Device '{argument}' is not in the inventory.", "Add it with Add-NmcDevice first, or check the name with Get-NmcDevice.");
                foreach (var device in matches)
                {
                    if (!ShouldProcess(DeviceParameters.Describe(device), "Set " + _edit.Describe(device))) continue;
                    Update(device);
                }
            }
        }

        private void Update(NmcDevice device)
        {
            try
            {
                var changed = UsingStore(() => Services.Inventory.Update(device.Id, d => _edit.ApplyTo(d, Services.CredentialProtector)));
                if (PassThru) WriteObject(changed);
            }
            catch (DuplicateDeviceException ex)
            {
                WriteTargetError("DeviceAlreadyExists", ErrorCategory.ResourceExists, device, ex.Message,
                    "Another device already uses this host and port; remove one of them or choose another port.");
            }
            catch (DeviceNotFoundException ex)
            {
                // Removed by another session since we read the inventory.
                WriteTargetError("DeviceNotFound", ErrorCategory.ObjectNotFound, device, ex.Message);
            }
        }
    }
}
