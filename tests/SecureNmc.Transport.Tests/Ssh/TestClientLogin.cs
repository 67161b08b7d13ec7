using System;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Transport;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>
    /// The least client login a test needs on the simulator's transport (client role): service request,
    /// "none", then password, until success. The product logs in with SSH.NET; this only drives
    /// captures and mutation runs against the project's own transport.
    /// </summary>
    internal static class TestClientLogin
    {
        public static async Task PasswordAsync(SshTransport transport, string user, string password, TimeSpan timeout, CancellationToken cancellationToken)
        {
            await transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.ServiceRequest).WriteString("ssh-userauth").ToArray(), cancellationToken);
            var accept = await transport.ReceiveAsync(timeout, "logging in", cancellationToken);
            if (accept.Length == 0 || accept[0] != SshMessageNumbers.ServiceAccept)
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, "expected SERVICE_ACCEPT");
            await transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthRequest).WriteString(user).WriteString("ssh-connection").WriteString("none").ToArray(), cancellationToken);
            bool passwordSent = false;
            while (true)
            {
                var message = await transport.ReceiveAsync(timeout, "logging in", cancellationToken);
                if (message.Length == 0) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "empty message");
                switch (message[0])
                {
                    case SshMessageNumbers.UserAuthSuccess:
                        return;
                    case SshMessageNumbers.UserAuthBanner:
                        new SshWireReader(message).ReadByte();
                        break;
                    case SshMessageNumbers.UserAuthFailure when !passwordSent:
                        passwordSent = true;
                        await transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthRequest).WriteString(user).WriteString("ssh-connection")
                            .WriteString("password").WriteBoolean(false).WriteString(password).ToArray(), cancellationToken);
                        break;
                    default:
                        throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"unexpected message {message[0]} during login");
                }
            }
        }
    }
}
