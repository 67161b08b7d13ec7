using System.Management.Automation;
using SecureNmc.Core.Licensing;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Air-gapped activation, step 2 (on an internet-facing machine, signed in): sends a request file to
    /// the licensing service and writes its signed response file, checking every licence in it first.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Submit, "NmcActivationRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(OfflineSubmitSummary))]
    public sealed class SubmitNmcActivationRequestCommand : NmcLicensingCmdlet
    {
        /// <summary>The request file from Export-NmcActivationRequest.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FilePath")]
        public string Path { get; set; } = "";

        /// <summary>Where to write the service's signed response.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string ResponsePath { get; set; } = "";

        protected override void ProcessRecord()
        {
            var requestPath = GetUnresolvedProviderPathFromPSPath(Path);
            var responsePath = GetUnresolvedProviderPathFromPSPath(ResponsePath);
            var manager = Manager;
            if (ShouldProcess(requestPath, $"Activate the cards of this request at {manager.Client.Endpoint} (each Activation ID is used up) and write the signed response to {responsePath}"))
            {
                var summary = CallLicensingAsync((progress, cancellation) => manager.SubmitActivationRequestAsync(requestPath, responsePath, cancellation));
                foreach (var outcome in summary.Outcomes)
                    if (!outcome.Succeeded) WriteCardError(outcome.ErrorCode, outcome.CardSerial, outcome.Message);
                WriteVerbose($"Wrote the response for {summary.Entries} card(s) ({summary.Licensed} licensed, {summary.Failed} refused) to {summary.ResponsePath}. Carry it back and run Import-NmcActivationResponse there.");
                WriteObject(summary);
            }
        }
    }
}
