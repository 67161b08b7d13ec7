using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Builds a validated device object without saving it, for runbooks that never touch the inventory.</summary>
    [Cmdlet(VerbsCommon.New, "NmcDevice", DefaultParameterSetName = ByParameters)]
    [OutputType(typeof(NmcDevice))]
    public sealed class NewNmcDeviceCommand : NmcCmdlet
    {
        private const string ByParameters = "ByParameters";
        private int _inputCount;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("HostName", "IPAddress", "IP", "Address", "IPv4", "IPv4Address", "FQDN", "ComputerName")]
        public new string Host { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("DisplayName", "DeviceName")]
        public string? Name { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("TransferProtocol")]
        [ArgumentCompleter(typeof(ProtocolCompleter))]
        public string? Protocol { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("PortNumber")]
        public string? Port { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("User", "Login", "LoginName")]
        public string? UserName { get; set; }

        [Parameter(ParameterSetName = ByParameters)]
        [Credential]
        public PSCredential? Credential { get; set; }

        protected override void ProcessRecord()
        {
            _inputCount++;
            var source = MyInvocation.ExpectingInput ? $"pipeline object {_inputCount}" : "parameters";
            var input = DeviceParameters.ToInput(Host, Name, Protocol, Port, UserName, Credential, source);
            DeviceInputResult? result = null;
            // The credential protector needs the data folder (its key file on Linux/macOS); without a
            // credential nothing on disk is touched.
            var device = UsingStore(() => DeviceParameters.Create(
                new DeviceInputNormalizer(null), Credential != null ? Services.CredentialProtector : null, input, Credential, out result));
            foreach (var warning in result!.Warnings) WriteWarning(warning);
            if (device == null)
            {
                WriteTargetError("InvalidDevice", ErrorCategory.InvalidArgument, input.ToString(), $"Device '{input}' is not valid. {result.ErrorMessage}");
                return;
            }
            WriteObject(device);
        }
    }
}
