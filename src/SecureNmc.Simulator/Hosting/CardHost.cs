using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Simulator.Cards;

namespace SecureNmc.Simulator.Hosting
{
    /// <summary>
    /// Serves one <see cref="SimulatedCard"/> on the network: SSH/SCP always, FTP while enabled on the
    /// card. Follows the card: while it restarts, is offline or refuses connections nothing listens (so
    /// connections are refused at TCP level); after a restart the servers come back on the same ports with
    /// the new banner; a host-key fault restarts SSH with the other key.
    /// </summary>
    public sealed class CardHost : IDisposable
    {
        /// <summary>Real time the card keeps its links after accepting a package, so the last reply (SCP ack, FTP 226) is delivered.</summary>
        public static readonly TimeSpan RestartGrace = TimeSpan.FromMilliseconds(300);

        private readonly object _gate = new object();
        private readonly ILogger? _logger;
        private CardSshService? _ssh;
        private CardFtpService? _ftp;
        private bool _stopPending;
        private bool _disposed;
        private int _generation;

        public CardHost(SimulatedCard card, ILogger? logger = null)
        {
            Card = card ?? throw new ArgumentNullException(nameof(card));
            _logger = logger;
        }

        public SimulatedCard Card { get; }
        public IPAddress Address => IPAddress.Parse(Card.Host);

        /// <summary>True while the SSH server listens.</summary>
        public bool SshListening { get { lock (_gate) return _ssh != null; } }
        public bool FtpListening { get { lock (_gate) return _ftp != null; } }

        /// <summary>Binds the servers (port 0 picks a free port, written back to the card). Throws SocketException when binding fails.</summary>
        public void Start()
        {
            Card.ExternalSessionCount = () =>
            {
                lock (_gate) return (_ssh?.AuthenticatedSessionCount ?? 0) + (_ftp?.LoggedInSessionCount ?? 0);
            };
            Card.StateChanged += OnStateChanged;
            Card.ConfigurationChanged += OnConfigurationChanged;
            Reconcile(forceRestart: false);
        }

        private void OnConfigurationChanged(object? sender, EventArgs e) => Reconcile(forceRestart: false);

        private void OnStateChanged(object? sender, CardState state)
        {
            if (state != CardState.Restarting)
            {
                lock (_gate) if (_stopPending) return; // the pending restart stop reconciles afterwards
                Reconcile(forceRestart: false);
                return;
            }
            int generation;
            lock (_gate)
            {
                _stopPending = true;
                generation = ++_generation;
            }
            // Let a running exec/upload deliver its last reply; a safety timer stops the servers anyway.
            bool busy;
            lock (_gate) busy = _ssh?.ExecRunning == true;
            if (!busy) StopAfterGrace(generation);
            else _ = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => StopNow(generation), TaskScheduler.Default);
        }

        private void OnOperationFinished(bool cardRestarting)
        {
            int generation;
            lock (_gate)
            {
                if (!_stopPending) return;
                generation = _generation;
            }
            StopAfterGrace(generation);
        }

        private void StopAfterGrace(int generation) =>
            _ = Task.Delay(RestartGrace).ContinueWith(_ => StopNow(generation), TaskScheduler.Default);

        private void StopNow(int generation)
        {
            lock (_gate)
            {
                if (generation != _generation || !_stopPending) return;
                _stopPending = false;
            }
            Reconcile(forceRestart: true);
        }

        /// <summary>Makes the listening servers match the card: up or down, right key, FTP on or off.</summary>
        private void Reconcile(bool forceRestart)
        {
            lock (_gate)
            {
                if (_disposed) return;
                if (forceRestart)
                {
                    StopSsh();
                    StopFtp();
                }
                if (_stopPending) return;
                bool up = Card.State == CardState.Running && !Card.Faults.RefuseConnections;
                if (_ssh != null && (!up || !ReferenceEquals(_ssh.PresentedHostKey, Card.PresentedHostKey))) StopSsh();
                if (_ftp != null && (!up || !Card.FtpEnabled)) StopFtp();
                if (up && _ssh == null)
                {
                    _ssh = Bind(port => new CardSshService(Card, new IPEndPoint(Address, port), OnOperationFinished, _logger), Card.SshPort, s => s.Start(), s => s.Dispose());
                    Card.SshPort = _ssh.LocalEndPoint.Port;
                }
                if (up && Card.FtpEnabled && _ftp == null)
                {
                    _ftp = Bind(port => new CardFtpService(Card, new IPEndPoint(Address, port), OnOperationFinished, _logger), Card.FtpPort, s => s.Start(), s => s.Dispose());
                    Card.FtpPort = _ftp.LocalEndPoint.Port;
                }
            }
        }

        /// <summary>Binds on the card's port, retrying briefly (a just-closed listener), then on any free port.</summary>
        private static T Bind<T>(Func<int, T> create, int port, Action<T> start, Action<T> dispose)
        {
            for (int attempt = 0; ; attempt++)
            {
                var service = create(attempt < 10 ? port : 0);
                try
                {
                    start(service);
                    return service;
                }
                catch (SocketException) when (attempt < 10 && port != 0)
                {
                    dispose(service);
                    if (attempt < 9) Thread.Sleep(50);
                }
            }
        }

        private void StopSsh()
        {
            _ssh?.Dispose();
            _ssh = null;
        }

        private void StopFtp()
        {
            _ftp?.Dispose();
            _ftp = null;
        }

        public void Dispose()
        {
            Card.StateChanged -= OnStateChanged;
            Card.ConfigurationChanged -= OnConfigurationChanged;
            lock (_gate)
            {
                _disposed = true;
                StopSsh();
                StopFtp();
            }
            Card.ExternalSessionCount = null;
        }
    }
}
