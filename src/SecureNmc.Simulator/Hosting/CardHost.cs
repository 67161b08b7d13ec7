using System;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Simulator.Cards;

namespace SecureNmc.Simulator.Hosting
{
    /// <summary>
    /// Serves one <see cref="SimulatedCard"/> on the network: SSH/SCP always, FTP while enabled on the
    /// card. Follows the card: while it restarts, is offline or refuses connections nothing listens (so
    /// connections are refused at TCP level); after a restart the servers come back on the same ports with
    /// the new banner; a host-key fault restarts SSH with the other key. Ports are always ones a real card
    /// can use (see <see cref="CardPortChooser"/>).
    /// </summary>
    public sealed class CardHost : IDisposable
    {
        /// <summary>Real time the card keeps its links after accepting a package, so the last reply (SCP ack, FTP 226) is delivered.</summary>
        public static readonly TimeSpan RestartGrace = TimeSpan.FromMilliseconds(300);

        private readonly object _gate = new object();
        private readonly ILogger? _logger;
        private readonly CardPortChooser _ports;
        private bool _sshBoundBefore;
        private bool _ftpBoundBefore;
        private CardSshService? _ssh;
        private CardFtpService? _ftp;
        private CardFaultListener? _sshFault; // stands in for _ssh while a connection-level fault is on
        private CardFaultListener? _ftpFault;
        private ListenerMisbehaviour? _sshMisbehaviour;
        private bool _stopPending;
        private TaskCompletionSource<bool>? _down;
        private bool _disposed;
        private int _generation;

        /// <param name="ports">Where free ports come from (default: random ports in 5000-32768).</param>
        public CardHost(SimulatedCard card, ILogger? logger = null, CardPortChooser? ports = null)
        {
            Card = card ?? throw new ArgumentNullException(nameof(card));
            _logger = logger;
            _ports = ports ?? CardPortChooser.Random;
        }

        /// <summary>
        /// The card's SSH port was asked for explicitly: the first bind uses exactly it and throws
        /// <see cref="SimulatorPortInUseException"/> when it is taken. Otherwise a non-zero port is only a
        /// preference (the fleet's shared port) and a taken one is replaced by a free port in 5000-32768.
        /// </summary>
        public bool SshPortRequired { get; set; }

        /// <summary>As <see cref="SshPortRequired"/>, for the FTP port.</summary>
        public bool FtpPortRequired { get; set; }

        public SimulatedCard Card { get; }
        public IPAddress Address => IPAddress.Parse(Card.Host);

        /// <summary>True while the SSH server listens.</summary>
        public bool SshListening { get { lock (_gate) return _ssh != null || _sshFault != null; } }
        public bool FtpListening { get { lock (_gate) return _ftp != null || _ftpFault != null; } }

        /// <summary>
        /// Binds the servers (port 0 picks a free port in 5000-32768, written back to the card). Throws
        /// <see cref="SimulatorPortInUseException"/> when a required port is taken or no free port is found.
        /// </summary>
        public void Start()
        {
            Card.ExternalSessionCount = () =>
            {
                lock (_gate) return (_ssh?.AuthenticatedSessionCount ?? 0) + (_ftp?.LoggedInSessionCount ?? 0);
            };
            Card.BeforeComingBack = () =>
            {
                lock (_gate) return _down?.Task ?? Task.CompletedTask;
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
                _down ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
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
            TaskCompletionSource<bool>? down;
            lock (_gate)
            {
                if (generation != _generation || !_stopPending) return;
                _stopPending = false;
                down = _down;
                _down = null;
            }
            Reconcile(forceRestart: true);
            down?.TrySetResult(true); // the card may now come back
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
                var faults = Card.Faults;
                bool up = Card.State == CardState.Running && !faults.RefuseConnections && !Card.LinkDown;
                var sshMisbehaviour = SshMisbehaviour(faults);
                var ftpMisbehaviour = faults.HalfOpenConnections ? ListenerMisbehaviour.Silent : (ListenerMisbehaviour?)null;
                if (_ssh != null && (!up || sshMisbehaviour != null || !ReferenceEquals(_ssh.PresentedHostKey, Card.PresentedHostKey) || _ssh.LegacyOnly != faults.LegacySshOnly)) StopSsh();
                if (_sshFault != null && (!up || sshMisbehaviour != _sshMisbehaviour)) StopSsh();
                if (_ftp != null && (!up || !Card.FtpEnabled || ftpMisbehaviour != null)) StopFtp();
                if (_ftpFault != null && (!up || !Card.FtpEnabled || ftpMisbehaviour == null)) StopFtp();
                if (up && _ssh == null && _sshFault == null)
                {
                    if (sshMisbehaviour is ListenerMisbehaviour misbehaviour)
                    {
                        _sshFault = Bind("SSH", port => new CardFaultListener(new IPEndPoint(Address, port), misbehaviour), s => s.Start(),
                                         Card.SshPort, SshPortRequired, ref _sshBoundBefore);
                        _sshMisbehaviour = misbehaviour;
                        Card.SshPort = _sshFault.LocalEndPoint.Port;
                    }
                    else
                    {
                        _ssh = Bind("SSH", port => new CardSshService(Card, new IPEndPoint(Address, port), OnOperationFinished, _logger), s => s.Start(),
                                    Card.SshPort, SshPortRequired, ref _sshBoundBefore);
                        Card.SshPort = _ssh.LocalEndPoint.Port;
                    }
                }
                if (up && Card.FtpEnabled && _ftp == null && _ftpFault == null)
                {
                    if (ftpMisbehaviour is ListenerMisbehaviour misbehaviour)
                    {
                        _ftpFault = Bind("FTP", port => new CardFaultListener(new IPEndPoint(Address, port), misbehaviour), s => s.Start(),
                                         Card.FtpPort, FtpPortRequired, ref _ftpBoundBefore);
                        Card.FtpPort = _ftpFault.LocalEndPoint.Port;
                    }
                    else
                    {
                        _ftp = Bind("FTP", port => new CardFtpService(Card, new IPEndPoint(Address, port), OnOperationFinished, _logger), s => s.Start(),
                                    Card.FtpPort, FtpPortRequired, ref _ftpBoundBefore);
                        Card.FtpPort = _ftp.LocalEndPoint.Port;
                    }
                }
                _ftp?.ApplyFaults(faults);
            }
        }

        /// <summary>The raw-listener fault the SSH port shows instead of an SSH server, if any (half-open wins).</summary>
        private static ListenerMisbehaviour? SshMisbehaviour(CardFaults faults) =>
            faults.HalfOpenConnections ? ListenerMisbehaviour.Silent
            : faults.GarbledSshIdentification ? ListenerMisbehaviour.GarbledIdentification
            : faults.ResetMidHandshake ? ListenerMisbehaviour.ResetMidHandshake
            : (ListenerMisbehaviour?)null;

        /// <summary>
        /// The first bind of a required port is exact (a clear error when taken). Coming back after a restart
        /// (or FTP switched on again) the card retries its port briefly, as the old listener may have just
        /// closed, then moves to a free port in 5000-32768 rather than staying down.
        /// </summary>
        private T Bind<T>(string service, Func<int, T> create, Action<T> start, int port, bool required, ref bool boundBefore) where T : IDisposable
        {
            T server;
            if (port == 0) server = _ports.BindAny(service, Card.Host, create, start);
            else if (required && !boundBefore) server = _ports.BindExactly(port, service, Card.Host, create, start);
            else server = _ports.BindPreferring(port, boundBefore ? 10 : 1, TimeSpan.FromMilliseconds(50), service, Card.Host, create, start);
            boundBefore = true;
            return server;
        }

        private void StopSsh()
        {
            _ssh?.Dispose();
            _ssh = null;
            _sshFault?.Dispose();
            _sshFault = null;
            _sshMisbehaviour = null;
        }

        private void StopFtp()
        {
            _ftp?.Dispose();
            _ftp = null;
            _ftpFault?.Dispose();
            _ftpFault = null;
        }

        public void Dispose()
        {
            Card.StateChanged -= OnStateChanged;
            Card.ConfigurationChanged -= OnConfigurationChanged;
            TaskCompletionSource<bool>? down;
            lock (_gate)
            {
                _disposed = true;
                StopSsh();
                StopFtp();
                down = _down;
                _down = null;
            }
            down?.TrySetResult(true);
            Card.ExternalSessionCount = null;
            Card.BeforeComingBack = null;
        }
    }
}
