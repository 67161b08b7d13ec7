using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Licensing.Sessions;
using SecureNmc.Core.Settings;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Stops licensing simulators started in this process (all of them when none is named) and puts
    /// the LicensingEndpoint / LicensingServiceKey settings back if they still point at the stopped one.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "NmcLicensingSimulator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(LicensingSimulatorInfo))]
    public sealed class StopNmcLicensingSimulatorCommand : NmcCmdlet
    {
        private readonly List<int> _ids = new List<int>();
        private bool _named;

        /// <summary>The simulators to stop (objects from Start-NmcLicensingSimulator); omitted = every one in this session.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public LicensingSimulatorInfo[]? Simulator { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (Simulator == null) return;
            _named = true;
            _ids.AddRange(Simulator.Where(s => s != null).Select(s => s.Id));
        }

        protected override void EndProcessing()
        {
            var ids = _named ? _ids.Distinct().ToList() : LicensingSimulators.Ids().ToList();
            foreach (var id in ids)
            {
                if (!ShouldProcess($"licensing simulator {id}", "Stop it and restore the licensing settings it replaced")) continue;
                var running = LicensingSimulators.Remove(id);
                if (running == null)
                {
                    WriteTargetError("SimulatorNotRunning", ErrorCategory.ObjectNotFound, id,
                        $"Licensing simulator {id} is not running in this PowerShell session (already stopped?).");
                    continue;
                }
                LicensingSessions.Forget(running.Host.Endpoint);
                running.Host.Dispose();
                running.Info.IsRunning = false;
                if (running.Info.SettingsApplied) RestoreSettings(running);
                if (PassThru) WriteObject(running.Info);
            }
            base.EndProcessing();
        }

        /// <summary>Only when the settings still name this simulator: a user who has since pointed them elsewhere keeps that.</summary>
        private void RestoreSettings(LicensingSimulators.Running running)
        {
            var restored = UsingStore(() =>
            {
                bool changed = false;
                Services.Settings.Update(s =>
                {
                    if (s.LicensingEndpoint != running.Host.Endpoint.AbsoluteUri || s.LicensingServiceKey != running.Info.ServiceKey) return;
                    changed = true;
                    if (running.PreviousEndpoint == null) s.Reset(SettingDefinition.LicensingEndpoint); else s.LicensingEndpoint = running.PreviousEndpoint;
                    if (running.PreviousServiceKey == null) s.Reset(SettingDefinition.LicensingServiceKey); else s.LicensingServiceKey = running.PreviousServiceKey;
                });
                return changed;
            });
            WriteVerbose(restored
                ? $"LicensingEndpoint and LicensingServiceKey are back to their values from before simulator {running.Info.Id} started."
                : $"The licensing settings no longer named simulator {running.Info.Id}; they were left as they are.");
        }
    }
}
