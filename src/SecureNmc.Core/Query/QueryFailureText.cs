using System;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Query
{
    /// <summary>
    /// Turns a transport failure into the seed's status and a reason that says what happened and what
    /// to do. Texts name the device, user name and protocol, never a password.
    /// </summary>
    public static class QueryFailureText
    {
        public const string MfaKnowledgeBaseArticle = "FAQ000276382";

        public static (DeviceQueryOutcome Outcome, DeviceStatus Status, string Detail) Describe(NmcDevice device, string? userName, FileTransferException failure, string step)
        {
            var where = $"{device.Host}:{device.Port} ({ProtocolName(device.Protocol)})";
            var user = string.IsNullOrEmpty(userName) ? "the stored user" : $"user '{userName}'";
            var said = string.IsNullOrWhiteSpace(failure.ServerMessage) ? "" : $" The card said: \"{Quote(failure.ServerMessage!)}\".";
            switch (failure.Kind)
            {
                case TransferFailureKind.BadCredentials:
                    return (DeviceQueryOutcome.BadCredentials, DeviceStatus.IncorrectCredentials,
                        $"The card at {where} refused the user name or password of {user}.{said} Check the credentials and store the right ones for this device.");
                case TransferFailureKind.MultiFactorRequired:
                    return (DeviceQueryOutcome.MultiFactorRequired, DeviceStatus.IncorrectCredentials,
                        $"{Capital(user)} has multi-factor authentication (MFA) enabled on the card at {where}, so it cannot log in for automated queries and updates.{said} " +
                        "Create a local NMC3 user without an e-mail address configured (MFA then stays off for that user) and store its credentials for this device. " +
                        $"See Schneider Electric Knowledge Base article {MfaKnowledgeBaseArticle}.");
                case TransferFailureKind.PasswordChangeRequired:
                    return (DeviceQueryOutcome.PasswordChangeRequired, DeviceStatus.IncorrectCredentials,
                        $"The card at {where} demands a password change for {user} before it can be used (the factory apc/apc login does this).{said} " +
                        "Log in once (web UI or SSH) and change the factory password, then store the new password for this device.");
                case TransferFailureKind.InsufficientRights:
                    return (DeviceQueryOutcome.InsufficientRights, DeviceStatus.IncorrectCredentials,
                        $"{Capital(user)} may not {step} on the card at {where}.{said} Use an account with the Administrator role.");
                case TransferFailureKind.SessionLimitReached:
                    return (DeviceQueryOutcome.SessionLimitReached, DeviceStatus.NotAccessible,
                        $"Another session is open on the card at {where}: it allows one session at a time and refused this one (\"Max logins exceeded.\"). " +
                        "Close other SSH, FTP or web sessions to the card (or wait for them to time out) and refresh again.");
                case TransferFailureKind.HostKeyRejected:
                {
                    var hk = failure as HostKeyRejectedException;
                    var fingerprints = hk == null ? "" :
                        hk.ExpectedFingerprint == null ? $" It presented {hk.PresentedFingerprint}, which is not a known key for this host." :
                        $" It presented {hk.PresentedFingerprint}; the key on record is {hk.ExpectedFingerprint}.";
                    return (DeviceQueryOutcome.HostKeyRejected, DeviceStatus.NotAccessible,
                        $"Host key rejected: the SSH host key of {where} is not the one trusted for this device.{fingerprints} " +
                        "If the card was replaced or reset, confirm the new fingerprint on the card and trust it again; otherwise the connection may be intercepted, so do not continue.");
                }
                case TransferFailureKind.TimedOut:
                    return (DeviceQueryOutcome.TimedOut, DeviceStatus.NotAccessible,
                        $"Timed out: the card at {where} did not answer in time while trying to {step}. It may be busy, restarting or behind a firewall; " +
                        "check the connection and try again later, or raise the ConnectTimeoutSeconds and ReplyTimeoutSeconds settings (Set-NmcSetting) for slow cards.");
                case TransferFailureKind.CannotConnect:
                {
                    // Transports may already say what to check; only add advice when they did not.
                    var advice = failure.Message.IndexOf("check", StringComparison.OrdinalIgnoreCase) >= 0 ? "" :
                        " Check that the card is powered and on the network, that the address and port are right" +
                        (device.Protocol == TransferProtocol.Ftp ? " and that FTP is enabled on the card (NMC3 ships with FTP off; SCP is the default)." : " and that SSH is enabled on the card.");
                    return (DeviceQueryOutcome.CannotConnect, DeviceStatus.NotAccessible, $"Cannot connect to {where}: {failure.Message}{said}{advice}");
                }
                case TransferFailureKind.ProtocolError:
                    return (DeviceQueryOutcome.ProtocolError, DeviceStatus.NotAccessible,
                        $"The card at {where} broke the {ProtocolName(device.Protocol)} protocol while trying to {step}: {failure.Message}{said}" +
                        (device.Protocol == TransferProtocol.Scp && !device.AllowLegacySsh
                            ? $" If it runs very old firmware it may need legacy SSH algorithms, for this device only: Set-NmcDevice '{device.DisplayName}' -AllowLegacySsh $true."
                            : ""));
                default:
                    return (DeviceQueryOutcome.ConnectionDropped, DeviceStatus.NotAccessible,
                        $"The connection to {where} failed while trying to {step}: {failure.Message}{said} Try again; if it keeps failing, check the network path to the card.");
            }
        }

        /// <summary>What the card said, on one line and at most 240 characters (a whole banner is noise in a status).</summary>
        public static string Quote(string text)
        {
            var flat = System.Text.RegularExpressions.Regex.Replace(text.Trim(), @"\s+", " ");
            return flat.Length <= 240 ? flat : flat.Substring(0, 237) + "...";
        }

        public static string ProtocolName(TransferProtocol protocol) => protocol == TransferProtocol.Ftp ? "FTP" : "SCP over SSH";

        private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
    }
}
