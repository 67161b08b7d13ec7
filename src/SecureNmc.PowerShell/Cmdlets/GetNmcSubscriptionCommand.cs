using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// "Check License": the subscription of piped devices (or the whole inventory), checked with the
    /// licensing service concurrently, verified and stored; -Offline shows the stored licences only.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NmcSubscription")]
    [OutputType(typeof(SubscriptionStatus))]
    public sealed class GetNmcSubscriptionCommand : NmcLicensingCmdlet
    {
        private DeviceArguments? _arguments;
        private readonly List<NmcDevice> _devices = new List<NmcDevice>();
        private bool _deviceGiven;

        [Parameter(Position = 0, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[]? Device { get; set; }

        /// <summary>Show the stored, verified licences without contacting the service (no sign-in needed).</summary>
        [Parameter]
        public SwitchParameter Offline { get; set; }

        protected override void ProcessRecord()
        {
            if (Device == null) return;
            _deviceGiven = true;
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            _devices.AddRange(ResolveDevices(_arguments, Device));
        }

        protected override void EndProcessing()
        {
            // No device named or piped: the whole inventory, like the SNS Tool's "Check License" on all cards.
            var devices = _deviceGiven ? _devices : UsingStore(() => Services.Inventory.GetAll()).ToList();
            if (devices.Count > 0)
            {
                var manager = Manager;
                IReadOnlyList<SubscriptionStatus> statuses;
                if (Offline) statuses = CallLicensing(() => manager.GetStoredStatus(devices));
                else if (!CallLicensing(() => manager.Account.TryResume()))
                {
                    WriteWarning($"Not signed in to the licensing service {manager.Client.Endpoint}: showing the stored licences only. Run Connect-NmcAccount to check the cards with the service.");
                    statuses = CallLicensing(() => manager.GetStoredStatus(devices));
                }
                else statuses = CallLicensingAsync((progress, cancellation) => manager.CheckAsync(devices, progress, cancellation));

                foreach (var rejected in CallLicensing(() => manager.Store.Rejected))
                    WriteWarning("A record in the licence store was not trusted and licenses nothing: " + rejected);
                for (int i = 0; i < statuses.Count; i++)
                {
                    var status = statuses[i];
                    if (status.Warning != null) WriteWarning($"{devices[i].DisplayName}: {status.Warning}");
                    if (status.Error != null) WriteCardError(status.ErrorCode, devices[i], status.Error);
                    WriteObject(status);
                }
            }
            base.EndProcessing();
        }
    }
}
