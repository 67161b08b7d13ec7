using System.Collections.Generic;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Security;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Adds cards to the inventory, one by parameters or many from the pipeline (Import-Csv).</summary>
    [Cmdlet(VerbsCommon.Add, "NmcDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByParameters)]
    [OutputType(typeof(NmcDevice))]
    public sealed class AddNmcDeviceCommand : NmcCmdlet
    {
        private const string ByParameters = "ByParameters";
        private const string ByDevice = "ByDevice";

        /// <summary>Pipelines of thousands of rows are saved in batches: one locked write per batch, not per card.</summary>
        private const int BatchSize = 1000;

        private readonly List<NmcDevice> _pending = new List<NmcDevice>();
        private int _inputCount;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("HostName", "IPAddress", "IP", "Address", "IPv4", "IPv4Address", "FQDN", "ComputerName")]
        public string Host { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("DisplayName", "DeviceName")]
        public string? Name { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("TransferProtocol")]
        [ArgumentCompleter(typeof(ProtocolCompleter))]
        public string? Protocol { get; set; }

        /// <summary>Text, so a CSV cell such as "abc" gets Core's specific message naming the device.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("PortNumber")]
        public string? Port { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("User", "Login", "LoginName")]
        public string? UserName { get; set; }

        /// <summary>A device object from New-NmcDevice (or another inventory): added as it is, keeping its id and stored credential.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByDevice)]
        public NmcDevice? InputObject { get; set; }

        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            _inputCount++;
            var device = ParameterSetName == ByDevice ? CheckDevice(InputObject!) : BuildDevice();
            if (device == null) return;
            // Issue 4 seam: querying the card (unless -SkipQuery) goes here, before the device is queued.
            if (!ShouldProcess(DeviceParameters.Describe(device), "Add to the SecureNmc inventory")) return;
            _pending.Add(device);
            if (_pending.Count >= BatchSize) SavePending();
        }

        protected override void EndProcessing()
        {
            SavePending();
            base.EndProcessing();
        }

        private NmcDevice? BuildDevice()
        {
            var source = MyInvocation.ExpectingInput ? $"pipeline object {_inputCount}" : "parameters";
            var input = DeviceParameters.ToInput(Host, Name, Protocol, Port, UserName, Credential, source);
            DeviceInputResult? result = null;
            var device = UsingStore(() => DeviceParameters.Create(Services.CreateNormalizer(), Services.CredentialProtector, input, Credential, out result));
            foreach (var warning in result!.Warnings) WriteWarning(warning);
            if (device == null)
                WriteTargetError("InvalidDevice", ErrorCategory.InvalidArgument, input.ToString(), $"Device '{input}' was not added. {result.ErrorMessage}");
            return device;
        }

        /// <summary>
        /// A device object is validated like parameters are (a hand-made object may hold anything),
        /// then added as it is: same id, same protected password, same facts.
        /// </summary>
        private NmcDevice? CheckDevice(NmcDevice given)
        {
            var input = DeviceParameters.ToInput(given.Host, given.Name, TransferProtocolNames.ToText(given.Protocol),
                given.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), given.UserName, null, $"device object {_inputCount}");
            var result = new DeviceInputNormalizer(null).Normalize(input);
            foreach (var warning in result.Warnings) WriteWarning(warning);
            if (!result.IsValid)
            {
                WriteTargetError("InvalidDevice", ErrorCategory.InvalidArgument, given, $"Device '{input}' was not added. {result.ErrorMessage}");
                return null;
            }
            var device = given.Clone();
            device.Host = result.Device!.Host;
            if (Credential != null && Credential != PSCredential.Empty)
                UsingStore(() => { Services.CredentialProtector.SetCredential(device, Credential.UserName, Credential.Password); });
            return device;
        }

        private void SavePending()
        {
            if (_pending.Count == 0) return;
            var batch = _pending.ToArray();
            _pending.Clear();
            var result = UsingStore(() => Services.Inventory.Add(batch));
            foreach (var duplicate in result.Duplicates)
                WriteTargetError("DeviceAlreadyExists", ErrorCategory.ResourceExists, duplicate.Existing, duplicate.Message,
                    "Use Set-NmcDevice to change the existing device, or Get-NmcDevice to see it.");
            WriteVerbose($"Added {result.Added.Count} device(s) to {Services.Inventory.FilePath}.");
            if (PassThru) WriteObject(result.Added, enumerateCollection: true);
        }
    }
}
