using System.Management.Automation;
using SecureNmc.Core.Devices;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// The device parameters Add-NmcDevice and New-NmcDevice share (host, name, protocol, port, user
    /// name), declared once so the two cmdlets cannot drift apart: the same names, aliases, parameter
    /// set and by-property-name binding, so the same CSV (<c>Import-Csv devices.csv | Add-NmcDevice</c>)
    /// feeds either. Each cmdlet declares its own -Credential: they bind it differently.
    /// Derives from <see cref="NmcQueryCmdlet"/> because Add-NmcDevice queries cards and C# allows one
    /// base class; it declares no parameters, so New-NmcDevice's surface is unchanged by it.
    /// </summary>
    public abstract class NmcDeviceInputCmdlet : NmcQueryCmdlet
    {
        /// <summary>The parameter set of a device given by its parameters (or CSV columns).</summary>
        protected const string ByParameters = "ByParameters";

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

        /// <summary>Text, so a CSV cell such as "abc" gets Core's specific message naming the device.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("PortNumber")]
        public string? Port { get; set; }

        /// <summary>The card's site (a CSV column "Site"), for splitting the fleet among workers.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("SiteName", "SiteCode")]
        public string? Site { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParameters)]
        [Alias("User", "Login", "LoginName")]
        public string? UserName { get; set; }

        /// <summary>
        /// The device parameters as Core's input; <paramref name="inputNumber"/> (1-based, counted by
        /// the cmdlet) names the pipeline object in messages.
        /// </summary>
        protected DeviceInput DeviceInputFromParameters(PSCredential? credential, int inputNumber)
        {
            var source = MyInvocation.ExpectingInput ? $"pipeline object {inputNumber}" : "parameters";
            var input = DeviceParameters.ToInput(Host, Name, Protocol, Port, UserName, credential, source);
            input.Site = Site;
            return input;
        }
    }
}
