using System.Collections.Generic;
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
            var states = new List<CardJournalState>();
            if (File.Exists(journal))
            {
                states.AddRange(UsingStore(() => All ? UpdateHistory.LatestPerDevice(journal) : UpdateHistory.LastRun(journal)));
                var damaged = UsingStore(() => UpdateHistory.DamagedLines(journal));
                if (damaged > 0)
                    WriteWarning($"{damaged} line(s) of the update journal {journal} could not be read and were skipped, so this history may be incomplete: the file is damaged or is not a SecureNmc journal. " +
                                 "Move it aside to start a new history; the inventory's statuses do not depend on it.");
            }
            else
                WriteVerbose($"No firmware update has been run yet (no journal at {journal}).");

            foreach (var state in states)
            {
                if (Name != null && !Name.Any(n => Matches(n, state))) continue;
                WriteObject(state);
            }
            // A name without wildcards that matches nothing is a mistake worth saying, as Get-NmcDevice does.
            foreach (var name in Name ?? new string[0])
            {
                if (WildcardPattern.ContainsWildcardCharacters(name) || states.Any(s => Matches(name, s))) continue;
                var scope = All ? "any firmware update in the journal" : "the last firmware update run";
                WriteTargetError("UpdateHistoryNotFound", ErrorCategory.ObjectNotFound, name,
                    $"No card named '{name}' took part in {scope} ({journal}).",
                    All ? "Check the name with Get-NmcDevice." : "Get-NmcFirmwareUpdate -All shows every card's latest update across all runs.");
            }
        }

        private static bool Matches(string name, CardJournalState state)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            return pattern.IsMatch(state.DeviceName) || (state.Host != null && pattern.IsMatch(state.Host));
        }
    }
}
