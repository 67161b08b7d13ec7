using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Ssh.Auth;
using SecureNmc.Core.Ssh.Connection;
using SecureNmc.Core.Ssh.KnownHosts;
using SecureNmc.Core.Ssh.Transport;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Ssh.Client
{
    /// <summary>Output of one remote command.</summary>
    public sealed class SshCommandResult
    {
        public SshCommandResult(string output, string error, int? exitStatus)
        {
            Output = output;
            Error = error;
            ExitStatus = exitStatus;
        }

        public string Output { get; }
        public string Error { get; }
        public int? ExitStatus { get; }
    }

    /// <summary>
    /// A logged-in SSH client connection to one card: TCP connect, transport handshake, host-key
    /// trust, login, then session channels for exec (SCP, CLI commands). Every failure surfaces as
    /// a <see cref="FileTransferException"/> of the right kind.
    /// </summary>
    public sealed class SshClient : IDisposable
    {
        private readonly ConnectionOptions _options;

        private SshClient(ConnectionOptions options, SshTransport transport, SshConnection connection, string? banner)
        {
            _options = options;
            Transport = transport;
            Connection = connection;
            Banner = banner;
        }

        public SshTransport Transport { get; }
        internal SshConnection Connection { get; }

        /// <summary>"host:port" as used in messages.</summary>
        public string Host => _options.Host;

        /// <summary>The authentication banner(s) the server sent, if any.</summary>
        public string? Banner { get; }

        public TimeSpan OperationTimeout => _options.OperationTimeout;

        public static Task<SshClient> ConnectAsync(ConnectionOptions options, CancellationToken cancellationToken) =>
            ConnectAsync(options, null, cancellationToken);

        /// <summary><paramref name="tuning"/> restricts algorithm lists or rekey limits (tests, diagnostics).</summary>
        public static async Task<SshClient> ConnectAsync(ConnectionOptions options, Action<SshTransportSettings>? tuning, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (string.IsNullOrWhiteSpace(options.Host)) throw new ArgumentException("No host given for the SSH connection.", nameof(options));
            int port = options.Port == 0 ? 22 : options.Port;
            if (port < 1 || port > 65535) throw new ArgumentException($"SSH port {options.Port} is not a valid TCP port (1-65535).", nameof(options));
            string host = options.Host;
            string peer = KnownHostsStore.Key(host, port);

            var tcp = new TcpClient();
            SshTransport? transport = null;
            try
            {
                using (var connectLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    connectLimit.CancelAfter(options.ConnectTimeout);
                    var started = DateTime.UtcNow;
                    try
                    {
                        await SshTimeouts.WithTimeout(tcp.ConnectAsync(host, port), options.ConnectTimeout, "connecting", connectLimit.Token).ConfigureAwait(false);
                    }
                    catch (SshTimeoutException)
                    {
                        throw new FileTransferException(TransferFailureKind.CannotConnect, host,
                            $"{peer} did not accept a TCP connection within {options.ConnectTimeout.TotalSeconds:0.#} s. Check the address, that SSH is enabled on the card, and firewalls.");
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new FileTransferException(TransferFailureKind.CannotConnect, host,
                            $"{peer} did not accept a TCP connection within {options.ConnectTimeout.TotalSeconds:0.#} s. Check the address, that SSH is enabled on the card, and firewalls.");
                    }
                    tcp.NoDelay = true;

                    var trust = new HostKeyTrust(new KnownHostsStore(options.Ssh.KnownHostsPath), options.Ssh, host, port);
                    var settings = new SshTransportSettings
                    {
                        Role = SshRole.Client,
                        PeerName = peer,
                        HandshakeTimeout = Remaining(options.ConnectTimeout, started),
                        ReadTimeout = options.OperationTimeout,
                        AllowLegacyAlgorithms = options.Ssh.AllowLegacyAlgorithms,
                        PreferredHostKeyTypes = trust.KnownKeyTypes(),
                        HostKeyVerifier = trust.Verify,
                        Logger = options.Logger,
                    };
                    tuning?.Invoke(settings);
                    transport = await SshTransport.StartAsync(tcp.GetStream(), settings, connectLimit.Token).ConfigureAwait(false);
                    options.Logger.LogDebug("SSH to {Peer}: {Server}, {Algorithms}", peer, SshTransport.Printable(transport.PeerIdentification), transport.Negotiated);

                    var authenticator = new SshClientAuthenticator(transport, host, Remaining(options.ConnectTimeout, started));
                    var credential = options.Credential ?? new System.Net.NetworkCredential();
                    try
                    {
                        await authenticator.AuthenticateAsync(credential.UserName ?? "", credential.Password ?? "", connectLimit.Token).ConfigureAwait(false);
                    }
                    catch (SshTimeoutException ex)
                    {
                        throw new FileTransferException(TransferFailureKind.TimedOut, host, $"{peer} did not finish the SSH login in time ({ex.Message}).", ex) { ServerMessage = authenticator.Banner };
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new FileTransferException(TransferFailureKind.TimedOut, host, $"{peer} did not finish the SSH login within {options.ConnectTimeout.TotalSeconds:0.#} s.") { ServerMessage = authenticator.Banner };
                    }

                    var connection = new SshConnection(transport, options.Logger);
                    connection.Start();
                    return new SshClient(options, transport, connection, authenticator.Banner);
                }
            }
            catch (Exception ex)
            {
                transport?.Dispose();
                tcp.Dispose();
                if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                    throw new FileTransferException(TransferFailureKind.TimedOut, host, $"The SSH handshake with {peer} did not finish within {options.ConnectTimeout.TotalSeconds:0.#} s.", ex);
                var mapped = SshFailures.DuringConnect(ex, host);
                if (ReferenceEquals(mapped, ex)) throw;
                throw mapped;
            }
        }

        private static TimeSpan Remaining(TimeSpan total, DateTime started)
        {
            var left = total - (DateTime.UtcNow - started);
            return left > TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100);
        }

        /// <summary>Opens a session channel and starts <paramref name="command"/> on it (RFC 4254 §6.5).</summary>
        public async Task<SshChannel> OpenExecAsync(string command, CancellationToken cancellationToken)
        {
            var channel = await Connection.OpenSessionAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
            var request = new Wire.SshWireWriter().WriteString(command).ToArray();
            bool accepted;
            try
            {
                accepted = await channel.SendRequestAsync("exec", true, request, _options.OperationTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await SafeCloseAsync(channel).ConfigureAwait(false);
                throw;
            }
            if (!accepted)
            {
                await SafeCloseAsync(channel).ConfigureAwait(false);
                throw new FileTransferException(TransferFailureKind.TransferFailed, Host, $"{Host} refused to run '{SshTransport.Printable(command)}' over SSH.");
            }
            return channel;
        }

        internal async Task SafeCloseAsync(SshChannel channel)
        {
            try
            {
                await channel.CloseAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Closing is best effort; the connection may already be gone.
            }
        }

        /// <summary>Runs a CLI command and returns what it printed.</summary>
        public async Task<SshCommandResult> RunCommandAsync(string command, CancellationToken cancellationToken)
        {
            try
            {
                var channel = await OpenExecAsync(command, cancellationToken).ConfigureAwait(false);
                var output = new MemoryStream();
                var buffer = new byte[16 * 1024];
                const int MaxOutput = 4 * 1024 * 1024;
                try
                {
                    while (true)
                    {
                        int n = await channel.ReadAsync(buffer, 0, buffer.Length, _options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                        if (n == 0) break;
                        if (output.Length + n > MaxOutput)
                            throw new FileTransferException(TransferFailureKind.TransferFailed, Host, $"'{SshTransport.Printable(command)}' on {Host} printed more than {MaxOutput} bytes; stopped reading.");
                        output.Write(buffer, 0, n);
                    }
                    // exit-status arrives before CLOSE; wait briefly for CLOSE so it is known. The output is
                    // complete at EOF, so a card that never closes the channel does not fail the command.
                    var wait = _options.OperationTimeout < TimeSpan.FromSeconds(10) ? _options.OperationTimeout : TimeSpan.FromSeconds(10);
                    try
                    {
                        await SshTimeouts.WithTimeout(channel.Closed, wait, "waiting for the command to finish", cancellationToken).ConfigureAwait(false);
                    }
                    catch (SshTimeoutException)
                    {
                        // Exit status stays unknown.
                    }
                }
                finally
                {
                    await SafeCloseAsync(channel).ConfigureAwait(false);
                }
                return new SshCommandResult(Encoding.UTF8.GetString(output.ToArray()), channel.StandardError, channel.ExitStatus);
            }
            catch (Exception ex)
            {
                var mapped = SshFailures.DuringOperation(ex, Host, $"run '{SshTransport.Printable(command)}'");
                if (ReferenceEquals(mapped, ex)) throw;
                throw mapped;
            }
        }

        /// <summary>Says goodbye (DISCONNECT by application) and closes.</summary>
        public Task CloseAsync(CancellationToken cancellationToken) => Transport.DisconnectAsync(SshDisconnectReason.ByApplication, "Session finished.");

        public void Dispose() => Transport.Dispose();
    }
}
