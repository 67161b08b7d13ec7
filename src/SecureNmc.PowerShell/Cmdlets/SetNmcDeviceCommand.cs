using System;
using System.Collections.Generic;
using System.Management.Automation;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>The SNS Tool's "Edit": name, site, credential, protocol and port of inventory devices; -TakeBack takes a card in flight back from its worker.</summary>
    [Cmdlet(VerbsCommon.Set, "NmcDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NmcDevice))]
    public sealed class SetNmcDeviceCommand : NmcCmdlet
    {
        private DeviceEdit _edit = new DeviceEdit();
        private DeviceArguments? _arguments;
        private readonly List<NmcDevice> _confirmed = new List<NmcDevice>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[] Device { get; set; } = new NmcDevicePipeBind[0];

        [Parameter]
        public string? NewName { get; set; }

        /// <summary>The new site; an empty string clears it.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? Site { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(ProtocolCompleter))]
        public string? Protocol { get; set; }

        [Parameter]
        public int? Port { get; set; }

        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>$true lets this card use the NMC2-era SSH algorithms (explicit opt-in); $false goes back to modern only.</summary>
        [Parameter]
        public bool? AllowLegacySsh { get; set; }

        [Parameter]
        public SwitchParameter ClearCredential { get; set; }

        /// <summary>
        /// Takes a card in flight back from its worker (one lost for good): the hand-over mark is cleared
        /// and this inventory may update the card again. Its record stays as it was handed over.
        /// </summary>
        [Parameter]
        public SwitchParameter TakeBack { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _edit = new DeviceEdit
            {
                NewName = NewName,
                Site = Site,
                Protocol = Protocol,
                Port = Port,
                UserName = Credential?.UserName,
                Password = Credential?.Password,
                ClearCredential = ClearCredential,
                AllowLegacySsh = AllowLegacySsh,
            };
            var errors = TakeBack && _edit.IsEmpty ? new List<string>() : _edit.Validate();
            if (errors.Count > 0)
                ThrowCommandError("InvalidEdit", ErrorCategory.InvalidArgument, null, string.Join(" ", errors));
        }

        protected override void ProcessRecord()
        {
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            foreach (var argument in Device)
            {
                var matches = ResolveOrReport(_arguments, argument, "Add it with Add-NmcDevice first, or check the name with Get-NmcDevice.");
                foreach (var device in matches)
                {
                    if (TakeBack && !device.IsInFlight && _edit.IsEmpty)
                    {
                        WriteWarning($"{device.DisplayName} is not in flight (it was not handed over to a worker, or its results came back): nothing to take back.");
                        continue;
                    }
                    if (!TakeBack && device.IsInFlight)
                        WriteWarning($"{device.DisplayName} is in flight ({DeviceHandOver.Describe(device)}): changing it here makes the worker's results come back as a conflict (changed in two places). If that worker is lost, add -TakeBack.");
                    var what = TakeBack && device.IsInFlight
                        ? $"Take back from {device.HandedOverTo} (handed over at {DeviceHandOver.Since(device)}): it may be updated here again" + (_edit.IsEmpty ? "" : "; set " + _edit.Describe(device))
                        : "Set " + _edit.Describe(device);
                    if (ShouldProcess(DeviceParameters.Describe(device), what))
                        _confirmed.Add(device);
                }
            }
        }

        /// <summary>All confirmed edits in one locked transaction; a device that cannot take its edit is reported, the rest are saved.</summary>
        protected override void EndProcessing()
        {
            if (_confirmed.Count > 0)
            {
                var protector = _edit.Password != null ? Services.CredentialProtector : null;
                var failures = new List<(NmcDevice Device, Exception Error)>();
                var changed = UsingStore(() => Services.Inventory.Transact(tx =>
                {
                    var saved = new List<NmcDevice>();
                    foreach (var device in _confirmed)
                    {
                        try
                        {
                            var stored = tx.FindById(device.Id) ?? throw new DeviceNotFoundException(device.Id, device.DisplayName);
                            // The edit first: one refused (a duplicate host and port) leaves the card in flight too.
                            if (!_edit.IsEmpty) stored = tx.Update(device.Id, d => _edit.ApplyTo(d, protector));
                            // Taking back is bookkeeping (the revision stays); an edit is a change.
                            var handedOver = stored.IsInFlight ? DeviceHandOver.Describe(stored) : null;
                            if (TakeBack && DeviceHandOver.TakeBack(tx, device.Id) is NmcDevice takenBack)
                            {
                                WriteVerbose($"{takenBack.DisplayName}: taken back ({handedOver}).");
                                stored = takenBack;
                            }
                            saved.Add(stored.Clone());
                        }
                        catch (DuplicateDeviceException ex) { failures.Add((device, ex)); }
                        catch (DeviceNotFoundException ex) { failures.Add((device, ex)); }
                    }
                    return saved;
                }));
                foreach (var (device, error) in failures)
                {
                    if (error is DuplicateDeviceException)
                        WriteTargetError("DeviceAlreadyExists", ErrorCategory.ResourceExists, device, error.Message,
                            "Another device already uses this host and port; remove one of them or choose another port.");
                    else
                        WriteTargetError("DeviceNotFound", ErrorCategory.ObjectNotFound, device, error.Message + " (removed by another session?)");
                }
                WriteVerbose($"Changed {changed.Count} device(s) in {Services.Inventory.FilePath}.");
                if (PassThru) WriteObject(changed, enumerateCollection: true);
            }
            base.EndProcessing();
        }
    }
}
