using System.Collections.Generic;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Adds cards to the inventory, one by parameters or many from the pipeline (Import-Csv).</summary>
    [Cmdlet(VerbsCommon.Add, "NmcDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByParameters)]
    [OutputType(typeof(NmcDevice))]
    public sealed class AddNmcDeviceCommand : NmcCmdlet
    {
        private const string ByParameters = "ByParameters";

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

        [Parameter(ParameterSetName = ByParameters)]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            _inputCount++;
            var device = BuildDevice();
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
