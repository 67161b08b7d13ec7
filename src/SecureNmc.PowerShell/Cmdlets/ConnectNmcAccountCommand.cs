using System.Management.Automation;
using System.Security;
using SecureNmc.Core.Licensing;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Signs in to the licensing service with an account credential or a pre-issued token (runbooks).</summary>
    [Cmdlet(VerbsCommunications.Connect, "NmcAccount", DefaultParameterSetName = CredentialSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AccountInfo))]
    public sealed class ConnectNmcAccountCommand : NmcLicensingCmdlet
    {
        private const string CredentialSet = "Credential";
        private const string TokenSet = "Token";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential Credential { get; set; } = PSCredential.Empty;

        /// <summary>A token issued by the licensing service (from a vault: Get-Secret returns a SecureString).</summary>
        [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
        public SecureString? Token { get; set; }

        [Parameter]
        public SwitchParameter StaySignedIn { get; set; }

        protected override void EndProcessing()
        {
            var manager = Manager;
            var endpoint = manager.Client.Endpoint;
            var who = ParameterSetName == TokenSet ? "with the supplied token" : $"as {Credential.UserName}";
            var action = $"Sign in {who}" + (StaySignedIn ? ", and keep the sign-in (encrypted) in the data folder for later sessions" : "");
            if (ShouldProcess(endpoint.ToString(), action))
            {
                AccountInfo account;
                if (ParameterSetName == TokenSet)
                {
                    if (Token == null || Token.Length == 0)
                        ThrowCommandError("EmptyToken", ErrorCategory.InvalidArgument, null, "The -Token given is empty.",
                            "Pass the token the licensing service issued, as a SecureString (for example from Get-Secret).");
                    var token = AccessToken.FromSecureString(Token!);
                    account = CallLicensingAsync((progress, cancellation) => manager.Account.ConnectAsync(token, StaySignedIn, cancellation));
                }
                else
                {
                    // NetworkCredential keeps the password as a SecureString until the sign-in request is built.
                    var credential = Credential.GetNetworkCredential();
                    account = CallLicensingAsync((progress, cancellation) => manager.Account.ConnectAsync(credential, StaySignedIn, cancellation));
                }
                WriteObject(account);
            }
            base.EndProcessing();
        }
    }
}
