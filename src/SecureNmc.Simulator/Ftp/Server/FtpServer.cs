using SecureNmc.Core.Ftp;
using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecureNmc.Simulator.Ftp.Server
{
    /// <summary>
    /// An FTP server (RFC 959 / RFC 2428) for the card simulator: one root folder supplied by an
    /// <see cref="IFtpFileSystem"/>, logins decided by an <see cref="FtpAuthenticationCallback"/>,
    /// passive and active data connections, and switchable card faults.
    /// </summary>
    public sealed class FtpServer : IDisposable
    {
        private readonly ConcurrentDictionary<FtpServerSession, byte> sessions = new ConcurrentDictionary<FtpServerSession, byte>();
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private Socket? listener;
        private Task? acceptLoop;
        private int loggedIn;

        public FtpServer(FtpServerOptions options, IFtpFileSystem fileSystem, FtpAuthenticationCallback authenticate, ILogger? logger = null)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            FileSystem = fileSystem ?? throw new ArgumentNullException(nameof(fileSystem));
            Authenticate = authenticate ?? throw new ArgumentNullException(nameof(authenticate));
            Logger = logger ?? NullLogger.Instance;
        }

        public FtpServerOptions Options { get; }
        public FtpServerFaults Faults { get; } = new FtpServerFaults();

        /// <summary>The bound address and port once started (the real port when Options.Port was 0).</summary>
        public IPEndPoint LocalEndPoint => (IPEndPoint)(listener?.LocalEndPoint ?? throw new InvalidOperationException("The FTP server is not started."));

        /// <summary>Optional check of each new connection before the welcome (see <see cref="FtpConnectionGate"/>); may be changed at any time.</summary>
        public FtpConnectionGate? ConnectionGate { get; set; }

        /// <summary>Control connections open right now.</summary>
        public int SessionCount => sessions.Count;

        /// <summary>Sessions that completed a login and are still connected.</summary>
        public int LoggedInSessionCount => Volatile.Read(ref loggedIn);

        internal IFtpFileSystem FileSystem { get; }
        internal FtpAuthenticationCallback Authenticate { get; }
        internal ILogger Logger { get; }

        /// <summary>Binds and starts accepting connections. Throws SocketException when the port is taken.</summary>
        public void Start()
        {
            if (listener != null) throw new InvalidOperationException("The FTP server is already started.");
            var socket = new Socket(Options.ListenAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(Options.ListenAddress, Options.Port));
                socket.Listen(32);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            listener = socket;
            Logger.LogInformation("FTP server listening on {EndPoint}", LocalEndPoint);
            acceptLoop = Task.Run(AcceptLoopAsync);
        }

        /// <summary>Hangs up every session at once, as a card does when it restarts. The server keeps listening.</summary>
        public void DropAllSessions()
        {
            foreach (var session in sessions.Keys) session.Abort();
        }

        /// <summary>Stops listening and drops every session.</summary>
        public async Task StopAsync()
        {
            if (stopping.IsCancellationRequested) return;
            stopping.Cancel();
            try { listener?.Dispose(); } catch (Exception) { }
            DropAllSessions();
            if (acceptLoop != null) await acceptLoop.ConfigureAwait(false);
        }

        public void Dispose()
        {
            StopAsync().GetAwaiter().GetResult();
            stopping.Dispose();
        }

        internal void OnLoggedIn() => Interlocked.Increment(ref loggedIn);
        internal void OnLoggedOut() => Interlocked.Decrement(ref loggedIn);

        private async Task AcceptLoopAsync()
        {
            while (!stopping.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await listener!.AcceptAsync().ConfigureAwait(false);
                }
                catch (Exception) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException ex)
                {
                    Logger.LogDebug("FTP accept failed: {Message}", ex.Message);
                    continue;
                }

                FtpServerSession session;
                try
                {
                    session = new FtpServerSession(this, client);
                }
                catch (Exception ex) when (ex is SocketException || ex is IOException || ex is ObjectDisposedException)
                {
                    client.Dispose();  // reset before we could greet it
                    continue;
                }
                int others = sessions.Count;
                sessions[session] = 0;
                _ = RunSessionAsync(session, others);
            }
        }

        private async Task RunSessionAsync(FtpServerSession session, int otherConnections)
        {
            try
            {
                string? refusal = null;
                FtpConnectionGate? gate = ConnectionGate;
                if (gate != null)
                {
                    try { refusal = gate(new FtpConnectionRequest(session.RemoteEndPoint, otherConnections, LoggedInSessionCount)); }
                    catch (Exception ex) { Logger.LogWarning("FTP connection gate failed: {Message}", ex.Message); }
                }
                await session.RunAsync(stopping.Token, refusal).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // One broken session must never take the server down.
                Logger.LogDebug("FTP session from {Remote} ended: {Message}", session.RemoteEndPoint, ex.Message);
            }
            finally
            {
                sessions.TryRemove(session, out _);
                session.Abort();
            }
        }
    }
}
