using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using Renci.SshNet.Common;
using SecureNmc.Core.Ftp;
using SecureNmc.Core.Ssh.Auth;
using SecureNmc.Core.Ssh.Scp;

namespace SecureNmc.Core.Transport.Scp
{
    /// <summary>Turns what SSH.NET (or the SCP exchange on top of it) reports into the product's typed failures.</summary>
    internal static class SshNetFailures
    {
        /// <summary>The setting names a user can raise; errors that say "raise the timeout" name them.</summary>
        public const string ConnectTimeoutSetting = "ConnectTimeoutSeconds";
        public const string ReplyTimeoutSetting = "ReplyTimeoutSeconds";
        public const string UploadStallTimeoutSetting = "UploadStallTimeoutSeconds";

        /// <summary>What SSH.NET says when the peer broke strict key exchange (Terrapin-style prefix injection).</summary>
        public static bool IsStrictKexViolation(Exception error) =>
            (error.Message ?? "").IndexOf("strict key exchange", StringComparison.OrdinalIgnoreCase) >= 0;

        public static FileTransferException DuringConnect(Exception error, string host, string peer, SshNetLogin login, bool legacyAllowed, TimeSpan limit)
        {
            var typed = Find<FileTransferException>(error);
            if (typed != null) return typed;
            switch (error)
            {
                case StepTimeoutException _:
                case SshOperationTimeoutException _:
                    return new FileTransferException(TransferFailureKind.TimedOut, host,
                        $"{peer} did not complete the TCP connect, SSH handshake and login within {Seconds(limit)}. The card may be busy, rebooting or unreachable; " +
                        $"try again later, or raise the {ConnectTimeoutSetting} setting (Set-NmcSetting) for slow cards.", error)
                    { ServerMessage = login.Banner };
                case SshAuthenticationException auth:
                    return login.Classify(auth);
                case SocketException socket:
                    return new FileTransferException(TransferFailureKind.CannotConnect, host,
                        $"Cannot open an SSH connection to {peer}: {socket.Message}. Check the address and port, that SSH is enabled on the card, and that no firewall blocks it.", socket);
                case SshConnectionException closed:
                    {
                        if (IsStrictKexViolation(closed))
                            return new FileTransferException(TransferFailureKind.ProtocolError, host,
                                $"The SSH handshake with {peer} was aborted: the peer broke strict key exchange ({closed.Message}). This is what a man-in-the-middle " +
                                "attack on the handshake (Terrapin) looks like; do not connect to this card until the network path is checked.", closed);
                        var fromLogin = login.ClassifyDisconnect(closed);
                        if (fromLogin != null) return fromLogin;
                        var offered = SshNetAlgorithms.ServerOffer(closed.Message);
                        if (offered.Count > 0 || closed.DisconnectReason == Renci.SshNet.Messages.Transport.DisconnectReason.KeyExchangeFailed)
                        {
                            bool legacyWouldHelp = !legacyAllowed && (offered.Count == 0 || offered.Any(a => SshNetAlgorithms.AllLegacy.Contains(a)));
                            return new FileTransferException(TransferFailureKind.ProtocolError, host,
                                $"SSH handshake with {peer} failed: {closed.Message}" +
                                (legacyWouldHelp ? " If this is an old card (NMC2-era firmware), allowing the legacy SSH algorithms for this device may help: Set-NmcDevice <name> -AllowLegacySsh $true." : ""), closed)
                            { ServerMessage = SshNetLogin.PeerText(closed) };
                        }
                        if (closed.DisconnectReason == Renci.SshNet.Messages.Transport.DisconnectReason.ProtocolError ||
                            closed.DisconnectReason == Renci.SshNet.Messages.Transport.DisconnectReason.MacError)
                            return new FileTransferException(TransferFailureKind.ProtocolError, host, $"SSH handshake with {peer} failed: {closed.Message}", closed);
                        return new FileTransferException(TransferFailureKind.CannotConnect, host,
                            $"{peer} closed the SSH connection during the handshake or login ({closed.Message}).", closed)
                        { ServerMessage = login.Banner };
                    }
                case ProxyException _:
                case SshException _:
                    return new FileTransferException(TransferFailureKind.ProtocolError, host, $"SSH handshake with {peer} failed: {error.Message}", error);
                case IOException io:
                    return new FileTransferException(TransferFailureKind.CannotConnect, host, $"The SSH connection to {peer} broke during the handshake: {io.Message}", io);
                case ObjectDisposedException _:
                    return new FileTransferException(TransferFailureKind.CannotConnect, host, $"The SSH connection to {peer} was closed during the handshake.", error);
                default:
                    return new FileTransferException(TransferFailureKind.ProtocolError, host, $"SSH connection to {peer} failed: {error.Message}", error);
            }
        }

        /// <summary>Failures during a transfer or command on an open session.</summary>
        public static Exception DuringOperation(Exception error, string host, string what, TimeSpan replyLimit, TimeSpan stallLimit)
        {
            // SSH.NET reports a malformed message from the card with the exceptions its parsers throw
            // (ArgumentOutOfRangeException, InvalidOperationException...): that is the card breaking the protocol.
            if (IsFromSshNet(error))
                return new FileTransferException(TransferFailureKind.ProtocolError, host, $"Could not {what} on {host}: the card sent malformed SSH data ({error.Message}).", error);
            switch (error)
            {
                case OperationCanceledException _:
                case FileTransferException _:
                case ArgumentException _:
                    return error;
                case ScpStallException stall:
                    return new FileTransferException(TransferFailureKind.TimedOut, host,
                        $"Could not {what} on {host}: the card stopped taking data for {Seconds(stallLimit)} after {stall.Done} of {stall.Total} bytes. " +
                        $"The card may be overloaded or the network dropping packets; try again, or raise the {UploadStallTimeoutSetting} setting (Set-NmcSetting) for slow cards.", error);
                case StepTimeoutException step:
                    return new FileTransferException(TransferFailureKind.TimedOut, host,
                        $"Could not {what} on {host}: the card did not answer within {Seconds(step.Limit)}. It may be busy or rebooting; try again later, " +
                        $"or raise the {ReplyTimeoutSetting} setting (Set-NmcSetting) for slow cards.", error);
                case ScpProtocolException scp when scp.IsPermissionProblem:
                    return new FileTransferException(TransferFailureKind.InsufficientRights, host,
                        $"{host} refused to {what}: the user lacks the rights for it (card said: {scp.PeerText}). Use an account with Administrator rights.", scp)
                    { ServerMessage = scp.PeerText };
                case ScpProtocolException scp:
                    return new FileTransferException(TransferFailureKind.TransferFailed, host, $"Could not {what} on {host}: {scp.Message}", scp) { ServerMessage = scp.PeerText };
                case SshOperationTimeoutException timeout:
                    return new FileTransferException(TransferFailureKind.TimedOut, host, $"Could not {what} on {host}: {timeout.Message} Raise the {ReplyTimeoutSetting} setting for slow cards.", timeout);
                case SshConnectionException closed:
                    return new FileTransferException(SshAuthText.MeansSessionLimit(closed.Message) ? TransferFailureKind.SessionLimitReached : TransferFailureKind.TransferFailed, host,
                        $"Could not {what} on {host}: the SSH connection ended ({closed.Message}).", closed)
                    { ServerMessage = SshNetLogin.PeerText(closed) };
                case SshException ssh:
                    return new FileTransferException(TransferFailureKind.TransferFailed, host, $"Could not {what} on {host}: {ssh.Message}", ssh);
                case ObjectDisposedException _:
                case IOException _:
                    return new FileTransferException(TransferFailureKind.TransferFailed, host, $"Could not {what} on {host}: the SSH connection ended ({error.Message}).", error);
                default:
                    return new FileTransferException(TransferFailureKind.TransferFailed, host, $"Could not {what} on {host}: {error.Message}", error);
            }
        }

        private static bool IsFromSshNet(Exception error) =>
            !(error is SshException) && !(error is OperationCanceledException) && !(error is ObjectDisposedException) && !(error is IOException) &&
            FirstNonFrameworkFrame(error.StackTrace).StartsWith("at Renci.SshNet.", StringComparison.Ordinal);

        /// <summary>
        /// Where an exception was thrown, ignoring the framework's own frames: SSH.NET's parsers fail
        /// inside System code (ArraySegment.Slice, BitConverter...) called from Renci.SshNet, and our own
        /// argument checks start in SecureNmc. (TargetSite is not reliable for rethrown exceptions.)
        /// </summary>
        private static string FirstNonFrameworkFrame(string? stackTrace)
        {
            foreach (var raw in (stackTrace ?? "").Split('\n'))
            {
                var frame = raw.Trim();
                if (frame.Length == 0 || frame.StartsWith("at System.", StringComparison.Ordinal) || frame.StartsWith("---", StringComparison.Ordinal)) continue;
                return frame;
            }
            return "";
        }

        public static string Seconds(TimeSpan limit) => $"{limit.TotalSeconds:0.#} s";

        private static T? Find<T>(Exception? error) where T : Exception
        {
            for (int depth = 0; error != null && depth < 8; depth++, error = error.InnerException)
            {
                if (error is T found) return found;
                if (error is AggregateException aggregate && aggregate.InnerExceptions.Count == 1) error = aggregate;
            }
            return null;
        }
    }

    /// <summary>An upload made no progress for the stall limit: the card stopped opening its window.</summary>
    internal sealed class ScpStallException : Exception
    {
        public ScpStallException(long done, long total) : base("upload stalled")
        {
            Done = done;
            Total = total;
        }

        public long Done { get; }
        public long Total { get; }
    }
}
