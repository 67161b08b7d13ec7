using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Updates;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// The seed's Cancel Firmware Update, for runs in this PowerShell process (foreground in another
    /// runspace, or -AsJob jobs): queued and not-yet-uploading cards stop at once; a card whose upload
    /// began is finished and verified, and the output says so, card by card.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "NmcFirmwareUpdate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CardCancellation))]
    public sealed class StopNmcFirmwareUpdateCommand : NmcCmdlet
    {
        private readonly List<NmcDevicePipeBind> _devices = new List<NmcDevicePipeBind>();

        /// <summary>Cards to cancel; none = every card of every running update.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[]? Device { get; set; }

        /// <summary>Only the runs of these -AsJob jobs.</summary>
        [Parameter]
        public FirmwareUpdateJob[]? Job { get; set; }

        protected override void ProcessRecord()
        {
            if (Device != null) _devices.AddRange(Device);
        }

        protected override void EndProcessing()
        {
            var runs = Job != null ? Job.Select(j => j.Run).Where(r => r != null).Select(r => r!).ToList() : UpdateRun.Active.ToList();
            if (runs.Count == 0 && !_devices.Any(d => !d.IsPattern))
            {
                WriteWarning("No firmware update is running in this PowerShell process.");
                base.EndProcessing();
                return;
            }
            foreach (var run in runs)
            {
                var cards = run.Cards.Where(c => !c.IsFinished && (_devices.Count == 0 || _devices.Any(d => Matches(d, c)))).ToList();
                if (cards.Count == 0) continue;
                if (!ShouldProcessTargets(cards.Select(c => c.DeviceName).ToList(), "Cancel the firmware update")) continue;
                var jobOfRun = FirmwareUpdateJobSourceAdapter.All.FirstOrDefault(j => j.Run == run);
                var ids = cards.Select(c => c.DeviceId).ToList();
                var cancellations = jobOfRun != null ? jobOfRun.RequestCancel(ids) : run.RequestCancel(ids);
                foreach (var cancellation in cancellations)
                {
                    WriteObject(cancellation);
                    if (!cancellation.Cancelled) WriteWarning($"{cancellation.DeviceName} could not be cancelled: {cancellation.Reason}");
                }
            }
            foreach (var unmatched in _devices.Where(d => !runs.Any(r => r.Cards.Any(c => Matches(d, c)))))
                if (!unmatched.IsPattern)
                    WriteTargetError("DeviceNotUpdating", ErrorCategory.ObjectNotFound, unmatched.Device ?? (object)unmatched.ToString(),
                        $"'{unmatched}' is not part of a running firmware update in this PowerShell process.",
                        "Get-NmcFirmwareUpdate shows each card's current or last update.");
            base.EndProcessing();
        }

        private static bool Matches(NmcDevicePipeBind argument, CardRunState card)
        {
            if (argument.Device != null) return argument.Device.Id == card.DeviceId;
            if (argument.Id != null) return argument.Id.Value == card.DeviceId;
            return argument.Resolve(new[] { card.Plan.Device }).Count > 0;
        }
    }
}
