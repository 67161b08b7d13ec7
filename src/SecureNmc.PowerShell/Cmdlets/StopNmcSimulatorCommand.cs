using System.Collections.Generic;
using System.Management.Automation;
using SecureNmc.PowerShell.Infrastructure;
using SecureNmc.PowerShell.Simulation;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Stops simulated fleets: the ones given (or those of piped card objects), or every fleet this session started.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "NmcSimulator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = All)]
    [OutputType(typeof(NmcSimulator))]
    public sealed class StopNmcSimulatorCommand : NmcCmdlet
    {
        private const string All = "All";
        private const string ByHandle = "BySimulator";
        private readonly List<NmcSimulator> _toStop = new List<NmcSimulator>();

        /// <summary>A simulator, or card objects (their Simulator property) from Start-NmcSimulator.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByHandle)]
        public NmcSimulator[] Simulator { get; set; } = new NmcSimulator[0];

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ByHandle) return;
            foreach (var simulator in Simulator)
                if (!_toStop.Contains(simulator)) _toStop.Add(simulator);
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == All) _toStop.AddRange(SimulatorRegistry.Running(StartNmcSimulatorCommand.SessionId));
            foreach (var simulator in _toStop)
            {
                if (!simulator.IsRunning)
                {
                    WriteVerbose($"Simulator {simulator.Id} is already stopped.");
                    continue;
                }
                if (!ShouldProcess($"Simulator {simulator.Id} ({simulator.CardCount} cards, {simulator.Endpoints})", "Stop the simulated cards")) continue;
                simulator.Stop();
                SimulatorRegistry.Forget(simulator);
                WriteVerbose($"Stopped simulator {simulator.Id}.");
                if (PassThru) WriteObject(simulator);
            }
            if (ParameterSetName == All && _toStop.Count == 0) WriteVerbose("No simulator is running in this session.");
            base.EndProcessing();
        }
    }
}
