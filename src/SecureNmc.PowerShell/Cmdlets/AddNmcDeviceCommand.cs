using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Query;
using SecureNmc.Core.Security;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Adds cards to the inventory, one by parameters or many from the pipeline (Import-Csv,
    /// Start-NmcSimulator). Like the SNS Tool, each card is queried first and only added once the
    /// query succeeded (-SkipQuery adds offline); the queries of one pipeline run together in
    /// EndProcessing, within the ConcurrentRequests setting.
    /// No default parameter set, on purpose: with one, PowerShell binds a piped device object by
    /// property name to the default set's -Host, -Port... (a new device with a new id and without the
    /// encrypted credential) instead of by value to -InputObject. Without one, a device object binds
    /// -InputObject first (by value, no conversion) and a CSV row or simulator card binds -Host.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "NmcDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(NmcDevice))]
    public sealed class AddNmcDeviceCommand : NmcDeviceInputCmdlet
    {
        private const string ByDevice = "ByDevice";

        /// <summary>Pipelines of thousands of rows are saved in batches: one locked write per batch, not per card.</summary>
        private const int BatchSize = 1000;

        private readonly List<NmcDevice> _pending = new List<NmcDevice>();
        private readonly List<NmcDevice> _toQuery = new List<NmcDevice>();
        private readonly Dictionary<NmcDevice, NetworkCredential?> _credentials = new Dictionary<NmcDevice, NetworkCredential?>();
        private IReadOnlyList<NmcDevice>? _stored;
        private int _inputCount;

        /// <summary>A device object from New-NmcDevice (or another inventory): added as it is, keeping its id and stored credential.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByDevice)]
        public NmcDevice? InputObject { get; set; }

        /// <summary>By property name too, so the objects of Start-NmcSimulator bring their own credential.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Adds without contacting the card (status Unknown until Update-NmcDevice queries it).</summary>
        [Parameter]
        public SwitchParameter SkipQuery { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            _inputCount++;
            var device = ParameterSetName == ByDevice ? CheckDevice(InputObject!) : BuildDevice();
            if (device == null) return;
            var action = SkipQuery ? "Add to the SecureNmc inventory without querying the card" : "Query the card, then add it to the SecureNmc inventory";
            if (!ShouldProcess(DeviceParameters.Describe(device), action)) return;
            if (SkipQuery || IsStored(device))
            {
                // A stored host and port is reported as a duplicate by the inventory; no need to log in to the card first.
                if (SkipQuery && device.LastQueried == null) device.StatusDetail = "Added without a query (-SkipQuery); run Update-NmcDevice to read its details.";
                _pending.Add(device);
                if (_pending.Count >= BatchSize) SavePending();
                return;
            }
            var twin = _toQuery.FirstOrDefault(d => d.Port == device.Port && HostNameValidator.SameHost(d.Host, device.Host));
            if (twin != null)
            {
                // One card, one session at a time: the same host and port twice in the input is queried and added once.
                WriteTargetError("DeviceAlreadyExists", ErrorCategory.ResourceExists, DeviceParameters.Describe(device),
                    $"Device {DeviceParameters.Describe(device)} appears more than once in the input (as {twin.DisplayName}); it is queried and added once.",
                    "Remove the repeated row, or give the second card its own host or port.");
                return;
            }
            NetworkCredential? credential = null;
            UsingStore(() => { credential = Services.CredentialProtector.GetCredential(device); });
            _credentials[device] = credential;
            _toQuery.Add(device);
        }

        protected override void EndProcessing()
        {
            SavePending();
            if (_toQuery.Count > 0)
            {
                var results = QueryDevices(_toQuery, _credentials, "Querying cards before adding them to the inventory");
                _credentials.Clear();
                foreach (var result in results)
                {
                    if (result.Succeeded)
                    {
                        _pending.Add(result.Device);
                        if (_pending.Count >= BatchSize) SavePending();
                        continue;
                    }
                    WriteTargetError("DeviceQueryFailed", CategoryOf(result.Outcome), DeviceParameters.Describe(result.Device),
                        $"Device {DeviceParameters.Describe(result.Device)} was not added. {Explain(result)}",
                        "Correct the problem and run Add-NmcDevice again, or add the device without querying it with -SkipQuery.");
                }
                SavePending();
            }
            base.EndProcessing();
        }

        /// <summary>True when the inventory (read once per command) already holds this host and port.</summary>
        private bool IsStored(NmcDevice device)
        {
            _stored ??= UsingStore(() => Services.Inventory.GetAll());
            return _stored.Any(d => d.Port == device.Port && HostNameValidator.SameHost(d.Host, device.Host));
        }

        private NmcDevice? BuildDevice()
        {
            var input = DeviceInputFromParameters(Credential, _inputCount);
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
