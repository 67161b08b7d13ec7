using System;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Ftp
{
    /// <summary>
    /// Builds the typed failures of the FTP client. Each message says which card, what happened and what
    /// to do; none contains a password.
    /// </summary>
    internal static class FtpErrors
    {
        public static FileTransferException FromReply(TransferFailureKind kind, string host, string message, FtpReply reply) =>
            new FileTransferException(kind, host, message) { ServerMessage = reply.ToString() };

        public static FileTransferException LoginRefused(string host, string user, FtpReply reply, TransferFailureKind fallback)
        {
            TransferFailureKind kind = FtpReplyMeaning.ClassifyRefusal(reply.Text, fallback);
            string message;
            switch (kind)
            {
                case TransferFailureKind.MultiFactorRequired:
                    message = $"{host}: the card requires multi-factor authentication for user '{user}' (it replied \"{reply}\"). " +
                              "Firmware updates cannot answer an MFA prompt: use a local card user without MFA (a local user with no e-mail address, see Schneider FAQ000276382).";
                    break;
                case TransferFailureKind.SessionLimitReached:
                    message = $"{host}: the card refused another session (it replied \"{reply}\"). " +
                              "Cards allow very few sessions: close other FTP, SSH, Telnet or web sessions to this card, or wait for them to time out, then try again.";
                    break;
                case TransferFailureKind.PasswordChangeRequired:
                    message = $"{host}: the card requires a password change for user '{user}' before it allows FTP (it replied \"{reply}\"). " +
                              "Log in once interactively, change the password, then update the stored credential.";
                    break;
                case TransferFailureKind.BadCredentials:
                    message = $"{host}: the card rejected the user name or password for user '{user}' (it replied \"{reply}\"). Check the credential stored for this device.";
                    break;
                default:
                    message = $"{host}: the card refused the login for user '{user}' (it replied \"{reply}\").";
                    break;
            }
            return FromReply(kind, host, message, reply);
        }

        public static FileTransferException StoreRefusedForRights(string host, string user, string remoteName, FtpReply reply) =>
            FromReply(TransferFailureKind.InsufficientRights, host,
                $"{host}: the card refused to store '{remoteName}' (it replied \"{reply}\"): user '{user}' lacks administrator rights on the card. " +
                "Firmware and configuration uploads need an Administrator account: use an administrator account for this device (the super user is 'apc' on a new card) and try again.",
                reply);

        public static FileTransferException DataConnectionNeverOpened(string host, FtpDataMode mode, string? preliminaryReply, TimeSpan waited)
        {
            string said = preliminaryReply == null
                ? "the data connection to the card could not be opened"
                : $"the card replied \"{preliminaryReply}\" but the data connection never opened";
            string modeAdvice = mode == FtpDataMode.Passive
                ? "You are using passive mode (this computer connects to a port the card chooses); a firewall or NAT device between this computer and the card that only allows port 21 blocks that connection. Allow the card's passive data ports in the firewall, or switch this device to active FTP mode (FtpDataMode Active), or use SCP instead."
                : "You are using active mode (the card connects back to this computer); a firewall on this computer or between it and the card most likely blocks that incoming connection. Switch this device to passive FTP mode (FtpDataMode Passive), allow incoming connections from the card, or use SCP instead.";
            return new FileTransferException(TransferFailureKind.TimedOut, host,
                $"{host}: {said} within {Seconds(waited)}. This usually means a firewall is blocking the FTP data connection. {modeAdvice}")
            { ServerMessage = preliminaryReply };
        }

        public static FileTransferException StepTimedOut(string host, string what, TimeSpan limit) =>
            new FileTransferException(TransferFailureKind.TimedOut, host,
                $"{host}: the card did not answer within {Seconds(limit)} while {what}. The card may be busy or rebooting; try again later or raise the ReplyTimeoutSeconds setting (Set-NmcSetting) for slow cards.");

        public static FileTransferException ConnectionLost(string host, string what, Exception inner) =>
            new FileTransferException(TransferFailureKind.TransferFailed, host,
                $"{host}: the connection to the card was lost while {what} ({inner.Message}).", inner);

        public static FileTransferException Protocol(string host, string what, string detail) =>
            new FileTransferException(TransferFailureKind.ProtocolError, host,
                $"{host}: the card broke the FTP protocol while {what}: {detail}.");

        public static FileTransferException Unexpected(string host, string what, FtpReply reply) =>
            FromReply(TransferFailureKind.ProtocolError, host,
                $"{host}: unexpected FTP reply \"{reply}\" while {what}.", reply);

        public static string Seconds(TimeSpan span) =>
            span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMilliseconds:0} ms";
    }
}
