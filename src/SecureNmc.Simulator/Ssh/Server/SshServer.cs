using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Simulator.Ssh.Connection;
using SecureNmc.Simulator.Ssh.Transport;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Server
{
    /// <summary>
    /// SSH-2 server role: listens on one endpoint, runs key exchange with the configured host keys,
    /// password / keyboard-interactive login through a callback, and hands exec requests to the
    /// caller. Built for the card simulator and for interop tests with OpenSSH clients.
    /// </summary>
    public sealed class SshServer : IDisposable
    {
        private readonly SshServerOptions _options;
        private readonly object _gate = new object();
        private readonly HashSet<ServerConnection> _connections = new HashSet<ServerConnection>();
        private TcpListener? _listener;
        private Task? _acceptLoop;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        public SshServer(SshServerOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.HostKeys.Count == 0) throw new ArgumentException("The SSH server needs at least one host key.", nameof(options));
        }

        /// <summary>The bound address (useful when port 0 was asked for).</summary>
        public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndpoint ?? throw new InvalidOperationException("The server is not started."));

        /// <summary>Connections currently open (handshaking, logging in or logged in).</summary>
        public int ActiveConnectionCount
        {
            get
            {
                lock (_gate) return _connections.Count;
            }
        }

        /// <summary>Logged-in sessions currently open.</summary>
        public int AuthenticatedSessionCount
        {
            get
            {
                lock (_gate) return _connections.Count(c => c.UserName != null);
            }
        }

        public void Start()
        {
            if (_listener != null) throw new InvalidOperationException("The server is already started.");
            _listener = new TcpListener(_options.EndPoint);
            _listener.Start();
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener!.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException ex)
                {
                    _options.Logger.LogDebug(ex, "SSH server accept failed.");
                    continue;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                var connection = new ServerConnection(this, client);
                lock (_gate)
                {
                    if (_connections.Count >= _options.MaxConnections)
                    {
                        client.Dispose();
                        continue;
                    }
                    _connections.Add(connection);
                }
                _ = Task.Run(connection.RunAsync);
            }
        }

        /// <summary>Drops every open connection at once without a goodbye, as a restarting card does.</summary>
        public void DropAllSessions()
        {
            List<ServerConnection> all;
            lock (_gate) all = _connections.ToList();
            foreach (var c in all) c.Drop();
        }

        public void Dispose()
        {
            _stopping.Cancel();
            try { _listener?.Stop(); } catch (SocketException) { }
            DropAllSessions();
        }

        private void Remove(ServerConnection connection)
        {
            lock (_gate) _connections.Remove(connection);
        }

        /// <summary>One accepted TCP connection through handshake, login and its channels.</summary>
        private sealed class ServerConnection
        {
            private readonly SshServer _server;
            private readonly TcpClient _client;
            private readonly CancellationTokenSource _aborted = new CancellationTokenSource();
            private SshTransport? _transport;

            public ServerConnection(SshServer server, TcpClient client)
            {
                _server = server;
                _client = client;
            }

            public string? UserName { get; private set; }
            private SshServerOptions Options => _server._options;

            public void Drop()
            {
                _aborted.Cancel();
                _transport?.Dispose();
                try { _client.Dispose(); } catch (Exception) { }
            }

            public async Task RunAsync()
            {
                var remote = _client.Client.RemoteEndPoint;
                try
                {
                    _client.NoDelay = true;
                    var settings = new SshTransportSettings
                    {
                        Role = SshRole.Server,
                        PeerName = remote?.ToString() ?? "client",
                        HandshakeTimeout = Options.LoginGraceTime,
                        ReadTimeout = Options.ReadTimeout,
                        AllowLegacyAlgorithms = Options.AllowLegacyAlgorithms,
                        HostKeys = Options.HostKeys,
                        KeyExchangeAlgorithms = Options.KeyExchangeAlgorithms ?? SshServerDefaults.KeyExchangeAlgorithms(Options.AllowLegacyAlgorithms),
                        HostKeyAlgorithms = Options.HostKeyAlgorithms ?? SshServerDefaults.HostKeyAlgorithms(Options.AllowLegacyAlgorithms, Options.HostKeys),
                        Ciphers = Options.Ciphers ?? SshServerDefaults.Ciphers(Options.AllowLegacyAlgorithms),
                        Macs = Options.Macs ?? SshServerDefaults.Macs(Options.AllowLegacyAlgorithms),
                        SoftwareVersion = Options.SoftwareVersion,
                        RekeyAfterBytes = Options.RekeyAfterBytes,
                        RekeyAfterTime = Options.RekeyAfterTime,
                        Logger = Options.Logger,
                    };
                    using (var login = CancellationTokenSource.CreateLinkedTokenSource(_aborted.Token))
                    {
                        login.CancelAfter(Options.LoginGraceTime);
                        _transport = await SshTransport.StartAsync(_client.GetStream(), settings, login.Token).ConfigureAwait(false);
                        if (_aborted.IsCancellationRequested) _transport.Dispose();
                        var authenticator = new SshServerAuthenticator(_transport, Options, remote);
                        UserName = await authenticator.AuthenticateAsync(login.Token).ConfigureAwait(false);
                    }

                    var connection = new SshConnection(_transport, Options.Logger);
                    connection.SessionOpened = channel =>
                    {
                        channel.RequestHandler = (c, type, data) => OnRequestAsync(c, type, data, remote);
                        return true;
                    };
                    connection.Start();
                    await connection.Completion.ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Options.Logger.LogDebug("SSH server connection from {Remote} ended: {Reason}", remote, ex.Message);
                }
                finally
                {
                    _server.Remove(this);
                    Drop();
                }
            }

            private Task<bool> OnRequestAsync(SshChannel channel, string type, SshWireReader data, EndPoint? remote)
            {
                if (type != "exec" || Options.ExecHandler == null || channel.StartAfterReply != null || channel.ExecStarted)
                    return Task.FromResult(false); // env, pty-req, shell, subsystem: a card offers exec only
                var command = data.ReadString();
                channel.ExecStarted = true;
                channel.StartAfterReply = () => _ = RunExecAsync(channel, command, remote);
                return Task.FromResult(true);
            }

            private async Task RunExecAsync(SshChannel channel, string command, EndPoint? remote)
            {
                int exitCode = 1;
                try
                {
                    var context = new SshExecContext(command, UserName ?? "", remote,
                        new SshChannelStream(channel, Options.ReadTimeout),
                        new SshChannelStream(channel, Options.ReadTimeout),
                        new SshChannelStream(channel, Options.ReadTimeout, extendedDataType: 1),
                        _aborted.Token);
                    exitCode = await Options.ExecHandler!(context).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Options.Logger.LogDebug("Exec handler for '{Command}' failed: {Reason}", SshTransport.Printable(command), ex.Message);
                }
                try
                {
                    await channel.SendRequestAsync("exit-status", false, new SshWireWriter().WriteUInt32((uint)exitCode).ToArray(), Options.ReadTimeout, _aborted.Token).ConfigureAwait(false);
                    await channel.SendEofAsync(_aborted.Token).ConfigureAwait(false);
                    await channel.CloseAsync(Options.ReadTimeout, _aborted.Token).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Options.Logger.LogDebug("Closing exec channel failed: {Reason}", ex.Message);
                }
            }
        }
    }
}
