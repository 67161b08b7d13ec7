using System.Management.Automation;
using SecureNmc.Core.Licensing;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Signs out: revokes the token at the service and deletes the stored stay-signed-in token.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "NmcAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AccountInfo))]
    public sealed class DisconnectNmcAccountCommand : NmcLicensingCmdlet
    {
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var manager = Manager;
            CallLicensing(() => manager.Account.TryResume());
            var current = manager.Account.Current;
            var target = current == null ? manager.Client.Endpoint.ToString() : $"{current.Account} at {current.Endpoint}";
            if (ShouldProcess(target, "Sign out and delete the stored sign-in"))
            {
                var signedOut = CallLicensingAsync((progress, cancellation) => manager.Account.DisconnectAsync(cancellation));
                if (signedOut == null) WriteVerbose($"Nobody was signed in to {manager.Client.Endpoint}; any stored sign-in was removed.");
                else WriteVerbose($"Signed out {signedOut.Account} from {signedOut.Endpoint}.");
                if (PassThru && signedOut != null) WriteObject(signedOut);
            }
            base.EndProcessing();
        }
    }
}
