using System.Management.Automation;
using SecureNmc.Core.Licensing;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Air-gapped activation, step 3 (back on the air-gapped machine): verifies every licence in a
    /// response file with the trusted service key, stores the authentic ones and reports each card.
    /// </summary>
    [Cmdlet(VerbsData.Import, "NmcActivationResponse", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ActivationOutcome))]
    public sealed class ImportNmcActivationResponseCommand : NmcLicensingCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The response file written by Submit-NmcActivationRequest; wildcards expand but must match one file.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [Alias("FilePath")]
        [SupportsWildcards]
        public string Path { get; set; } = "";

        /// <summary>
        /// The response file taken exactly as written. Submit-NmcActivationRequest's output binds its
        /// ResponsePath here, and Get-ChildItem's PSPath, so a name with [ ] is never read as a pattern.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "ResponsePath")]
        public string LiteralPath { get; set; } = "";

        protected override void ProcessRecord()
        {
            var literal = ParameterSetName == LiteralPathSet;
            var path = FilePaths.ResolveOneExisting(literal ? LiteralPath : Path, literal, "response file", WriteError);
            if (path == null) return;
            var manager = Manager;
            if (ShouldProcess(path, $"Verify the licences in this response and store the authentic ones in {manager.Folder.Root}"))
            {
                var result = CallLicensing(() => manager.ImportActivationResponse(path));
                if (!result.MatchedPendingRequest)
                    WriteWarning($"Request {result.RequestId} was not exported from this data folder; the licences were still verified with the trusted key before they were stored.");
                foreach (var outcome in result.Outcomes)
                {
                    if (!outcome.Succeeded) WriteCardError(outcome.ErrorCode, (object?)outcome.DeviceName ?? outcome.CardSerial, outcome.Message);
                    else if (outcome.Subscription?.Warning != null) WriteWarning($"{outcome.DeviceName ?? outcome.CardSerial}: {outcome.Subscription.Warning}");
                    WriteObject(outcome);
                }
            }
        }
    }
}
