using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Builds a validated device object without saving it, for runbooks that never touch the inventory.</summary>
    [Cmdlet(VerbsCommon.New, "NmcDevice", DefaultParameterSetName = ByParameters)]
    [OutputType(typeof(NmcDevice))]
    public sealed class NewNmcDeviceCommand : NmcDeviceInputCmdlet
    {
        private int _inputCount;

        [Parameter(ParameterSetName = ByParameters)]
        [Credential]
        public PSCredential? Credential { get; set; }

        protected override void ProcessRecord()
        {
            _inputCount++;
            var input = DeviceInputFromParameters(Credential, _inputCount);
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
