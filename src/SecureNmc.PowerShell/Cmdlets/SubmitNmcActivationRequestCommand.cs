using System.Management.Automation;
using SecureNmc.Core.Licensing;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Air-gapped activation, step 2 (on an internet-facing machine, signed in): sends a request file to
    /// the licensing service and writes its signed response file, checking every licence in it first.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Submit, "NmcActivationRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(OfflineSubmitSummary))]
    public sealed class SubmitNmcActivationRequestCommand : NmcLicensingCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The request file from Export-NmcActivationRequest; wildcards expand but must match one file.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [Alias("FilePath")]
        [SupportsWildcards]
        public string Path { get; set; } = "";

        /// <summary>The request file taken exactly as written; Get-ChildItem's PSPath binds here.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        public string LiteralPath { get; set; } = "";

        /// <summary>Where to write the service's signed response; taken as written (like Copy-Item's -Destination).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string ResponsePath { get; set; } = "";

        protected override void ProcessRecord()
        {
            var literal = ParameterSetName == LiteralPathSet;
            var requestPath = FilePaths.ResolveOneExisting(literal ? LiteralPath : Path, literal, "request file", WriteError);
            if (requestPath == null) return;
            var responsePath = FilePaths.ResolveTarget(ResponsePath, literal: true, "response file", ThrowTerminatingError)!;
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
