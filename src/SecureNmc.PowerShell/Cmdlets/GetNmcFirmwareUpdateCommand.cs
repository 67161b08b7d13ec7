using System.IO;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Updates;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Each card's current or last firmware update, read from the crash-safe journal (so it also shows
    /// runs of other sessions and runs a killed session left unfinished).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NmcFirmwareUpdate")]
    [OutputType(typeof(CardJournalState))]
    public sealed class GetNmcFirmwareUpdateCommand : NmcCmdlet
    {
        /// <summary>Only these cards (names or hosts; wildcards allowed).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Every card's latest state across all runs, not only the last run's cards.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        protected override void ProcessRecord()
        {
            var journal = UsingStore(() => new FirmwareServices(Services, LoggerFactory).JournalPath);
            if (!File.Exists(journal))
            {
                WriteVerbose($"No firmware update has been run yet (no journal at {journal}).");
                return;
            }
            var states = UsingStore(() => All ? UpdateHistory.LatestPerDevice(journal) : UpdateHistory.LastRun(journal));
            var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var state in states)
            {
                if (patterns != null && !patterns.Any(p => p.IsMatch(state.DeviceName) || (state.Host != null && p.IsMatch(state.Host)))) continue;
                WriteObject(state);
            }
        }
    }
}
