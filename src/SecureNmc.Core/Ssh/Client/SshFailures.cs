using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Cryptography;
using SecureNmc.Core.Ssh.Auth;
using SecureNmc.Core.Ssh.Connection;
using SecureNmc.Core.Ssh.Scp;
using SecureNmc.Core.Ssh.Transport;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Ssh.Client
{
    /// <summary>Turns what went wrong inside the SSH stack into the product's typed failures.</summary>
    internal static class SshFailures
    {
        /// <summary>Failures while connecting, exchanging keys or logging in.</summary>
        public static Exception DuringConnect(Exception error, string host)
        {
            switch (error)
            {
                case OperationCanceledException _:
                case FileTransferException _:
                    return error;
                case SocketException socket:
                    return new FileTransferException(TransferFailureKind.CannotConnect, host,
                        $"Cannot open an SSH connection to {host}: {socket.Message}. Check the address and port, that SSH is enabled on the card, and that no firewall blocks it.", socket);
                case SshTimeoutException timeout:
                    return new FileTransferException(TransferFailureKind.TimedOut, host,
                        $"{host} accepted the connection but did not complete the SSH handshake and login in time ({timeout.Message}). The card may be busy or rebooting; try again later.", timeout);
                case SshConnectionClosedException closed:
                    if (closed.ByPeer && (closed.Reason == SshDisconnectReason.TooManyConnections || SshAuthText.MeansSessionLimit(closed.PeerMessage)))
                        return new FileTransferException(TransferFailureKind.SessionLimitReached, host,
                            $"{host} refused the SSH session because it already has the maximum number of sessions (\"Max logins exceeded.\"). Close other sessions to the card and try again.", closed)
                        { ServerMessage = closed.PeerMessage };
                    if (closed.ByPeer && (closed.Reason == SshDisconnectReason.KeyExchangeFailed || closed.Reason == SshDisconnectReason.ProtocolError))
                        return new FileTransferException(TransferFailureKind.ProtocolError, host,
                            $"{host} ended the SSH handshake: {closed.Message} If this is an old card, enabling legacy SSH algorithms for this device may help.", closed)
                        { ServerMessage = closed.PeerMessage };
                    return new FileTransferException(TransferFailureKind.CannotConnect, host,
                        $"{host} closed the SSH connection during the handshake or login ({closed.Message}).", closed)
                    { ServerMessage = closed.PeerMessage };
                case SshProtocolException protocol:
                    return new FileTransferException(TransferFailureKind.ProtocolError, host, $"SSH handshake with {host} failed: {protocol.Message}", protocol);
                case CryptographicException crypto:
                    return new FileTransferException(TransferFailureKind.ProtocolError, host, $"SSH handshake with {host} failed in a cryptographic check: {crypto.Message}", crypto);
                case InvalidDataException knownHosts:
                    // The known-hosts store is unreadable: no key can be trusted until it is fixed.
                    return new FileTransferException(TransferFailureKind.HostKeyRejected, host, $"Cannot check the SSH host key of {host}: {knownHosts.Message}", knownHosts);
                case IOException io:
                    return new FileTransferException(TransferFailureKind.CannotConnect, host, $"The SSH connection to {host} broke during the handshake: {io.Message}", io);
                default:
                    return new FileTransferException(TransferFailureKind.ProtocolError, host, $"SSH connection to {host} failed: {error.Message}", error);
            }
        }

        /// <summary>Failures during a transfer or command on an open session.</summary>
        public static Exception DuringOperation(Exception error, string host, string what)
        {
            switch (error)
            {
                case OperationCanceledException _:
                case FileTransferException _:
                case ArgumentException _:
                    return error;
                case ScpProtocolException scp when scp.IsPermissionProblem:
                    return new FileTransferException(TransferFailureKind.InsufficientRights, host,
                        $"{host} refused to {what}: the user lacks the rights for it (card said: {scp.PeerText}). Use an account with Administrator rights.", scp)
                    { ServerMessage = scp.PeerText };
                case ScpProtocolException scp:
                    return new FileTransferException(TransferFailureKind.TransferFailed, host, $"Could not {what} on {host}: {scp.Message}", scp) { ServerMessage = scp.PeerText };
                case SshTimeoutException timeout:
                    return new FileTransferException(TransferFailureKind.TimedOut, host, $"Could not {what} on {host}: {timeout.Message}", timeout);
                case SshConnectionClosedException closed:
                    return new FileTransferException(closed.ByPeer && SshAuthText.MeansSessionLimit(closed.PeerMessage) ? TransferFailureKind.SessionLimitReached : TransferFailureKind.TransferFailed, host,
                        $"Could not {what} on {host}: the SSH connection ended ({closed.Message}).", closed)
                    { ServerMessage = closed.PeerMessage };
                case SshChannelOpenException refused:
                    return new FileTransferException(TransferFailureKind.TransferFailed, host, $"Could not {what} on {host}: {refused.Message}", refused) { ServerMessage = refused.Description };
                case SshProtocolException protocol:
                    return new FileTransferException(TransferFailureKind.ProtocolError, host, $"Could not {what} on {host}: {protocol.Message}", protocol);
                case IOException io when io is EndOfStreamException || io.InnerException is System.Net.Sockets.SocketException:
                    // A dropped link is the same event whether the packet reader or the channel sees it
                    // first; say it the same way so users (and scripts) get one message for one cause.
                    return new FileTransferException(TransferFailureKind.TransferFailed, host,
                        $"Could not {what} on {host}: the SSH connection ended ({io.Message}).", io);
                case IOException io:
                    return new FileTransferException(TransferFailureKind.TransferFailed, host, $"Could not {what} on {host}: {io.Message}", io);
                default:
                    return new FileTransferException(TransferFailureKind.TransferFailed, host, $"Could not {what} on {host}: {error.Message}", error);
            }
        }
    }
}
